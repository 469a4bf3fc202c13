/**
 * Entry of a SQLite store's writer thread: one connection of its own that runs the store's writes in
 * the order they come and answers each (sqlite-writer-protocol.ts). Started by `startSqliteWriter`; not
 * meant to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { configureConnection } from './configure-connection.ts';
import type { FromSqliteWriter, SqliteWriterData, ToSqliteWriter } from './sqlite-writer-protocol.ts';
import { prepareSqliteWrites, type SqliteWriteRunner } from './sqlite-writes.ts';

const port = parentPort;
if (port === null) throw new Error('sqlite-writer-worker.ts runs only as a worker thread');
const { file, busyTimeoutMs } = workerData as SqliteWriterData;
const post = (message: FromSqliteWriter): void => port.postMessage(message);

let run: SqliteWriteRunner | undefined;
let openError: unknown;
try {
  const db = new Database(file, { timeout: busyTimeoutMs, fileMustExist: true });
  configureConnection(db);
  run = prepareSqliteWrites(db);
} catch (error) {
  openError = error;
}

port.on('message', ({ id, write }: ToSqliteWriter) => {
  try {
    if (run === undefined) throw openError;
    post({ id, ok: true, value: run(write) });
  } catch (error) {
    const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
    post({
      id,
      ok: false,
      error: {
        name: typeof name === 'string' ? name : 'Error',
        message: typeof message === 'string' ? message : String(error),
        ...(typeof code === 'string' ? { code } : {}),
      },
    });
  }
});
