import { randomUUID } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to wait for a lock another process holds. */
export interface FileLockOptions {
  /** Aborting stops waiting (and rejects). */
  readonly signal: AbortSignal;
  /** Give up after waiting this long for a live holder (default 5 minutes). */
  readonly timeoutMs?: number;
  /** Check again this often while waiting (default 100 ms). */
  readonly pollMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_POLL_MS = 100;

/**
 * Runs `fn` while holding the lock file `path` (its folder must exist), so that processes sharing a
 * folder (parallel bench runs, test files) take turns. The lock holds the holder's pid and appears
 * atomically with it (hard link of a written temp file); a lock whose process is gone is taken over.
 * Two waiters taking over the same dead holder's lock at the very same moment could both proceed: the
 * lock is for tools, not for data that must never race.
 */
export async function withFileLock<T>(
  path: string,
  options: FileLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const mine = `${path}.${process.pid}.${randomUUID()}`;
  await writeFile(mine, String(process.pid));
  try {
    for (;;) {
      options.signal.throwIfAborted();
      if (await tryLink(mine, path)) break;
      const holder = await holderOf(path);
      if (holder !== undefined && !isAlive(holder)) {
        await unlink(path).catch(ignoreMissing);
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${path} is held by process ${holder ?? '?'} for too long; if no build is running, delete the file`,
        );
      }
      await sleep(options.pollMs ?? DEFAULT_POLL_MS, undefined, { signal: options.signal });
    }
  } finally {
    await unlink(mine).catch(ignoreMissing);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(ignoreMissing);
  }
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The pid in the lock file, or undefined when it just went away or holds no pid. */
async function holderOf(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
