import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { startModuleWorker } from '../util/start-module-worker.ts';
import type { FromSqliteWriter, SqliteWriterData, ToSqliteWriter } from './sqlite-writer-protocol.ts';
import { prepareSqliteWrites, type SqliteWrite, type SqliteWriteResults } from './sqlite-writes.ts';

/** Where a store's writes run. Failures reject with SQLite's own error (`code` kept). */
export interface SqliteWriter {
  run<W extends SqliteWrite>(write: W): Promise<SqliteWriteResults[W['op']]>;
  /** Waits for the writes in flight, then stops. */
  close(): Promise<void>;
}

/** Writes on the store's own connection, on the calling thread. */
export function inlineSqliteWriter(db: Database.Database): SqliteWriter {
  const run = prepareSqliteWrites(db);
  return {
    run: (write) => {
      try {
        return Promise.resolve(run(write));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    close: () => Promise.resolve(),
  };
}

interface Pending {
  resolve(value: SqliteWriteResults[keyof SqliteWriteResults]): void;
  reject(error: unknown): void;
}

/**
 * Writes on a thread of their own with its own connection (started on the first write), in the order
 * they are run: a commit never blocks the event loop that serves requests. The thread keeps the process
 * alive only while writes are in flight.
 */
export function threadSqliteWriter(data: SqliteWriterData): SqliteWriter {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let worker: Worker | undefined;
  let drained: (() => void) | undefined;
  const failAll = (error: unknown) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    drained?.();
  };
  const start = (): Worker => {
    const started = startModuleWorker(import.meta.url, 'sqlite-writer-worker', { workerData: data });
    started.on('message', (message: FromSqliteWriter) => {
      const waiting = pending.get(message.id);
      if (waiting === undefined) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(Object.assign(new Error(message.error.message), message.error));
      if (pending.size === 0) {
        started.unref();
        drained?.();
      }
    });
    const lost = (error: unknown) => {
      if (worker === started) worker = undefined;
      failAll(error);
    };
    started.on('error', lost);
    started.on('exit', (code) => lost(new Error(`the store's writer thread exited (code ${code})`)));
    return started;
  };
  return {
    run<W extends SqliteWrite>(write: W): Promise<SqliteWriteResults[W['op']]> {
      worker ??= start();
      const id = nextId++;
      const message: ToSqliteWriter = { id, write };
      if (pending.size === 0) worker.ref();
      const answer = new Promise<SqliteWriteResults[W['op']]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      });
      worker.postMessage(message);
      return answer;
    },
    async close() {
      if (pending.size > 0) await new Promise<void>((resolve) => (drained = resolve));
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  };
}
