import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../bench/lib/file-lock.ts';

let dir = '';
let lock = '';
const never = new AbortController().signal;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'signet-file-lock-'));
  lock = path.join(dir, '.build.lock');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('withFileLock', () => {
  it('lets one holder in at a time, in turn', async () => {
    const log: string[] = [];
    const hold = (name: string) =>
      withFileLock(lock, { signal: never, pollMs: 1 }, async () => {
        log.push(`${name} in`);
        await sleep(30); // room for the other one to barge in if the lock did not hold
        log.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    const first = log[0]?.split(' ')[0];
    const second = first === 'a' ? 'b' : 'a';
    expect(log).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });

  it('removes the lock and its temp file when done, also after a failure', async () => {
    await withFileLock(lock, { signal: never }, async () => {
      expect(existsSync(lock)).toBe(true);
    });
    await expect(
      withFileLock(lock, { signal: never }, async () => {
        throw new Error('build broke');
      }),
    ).rejects.toThrow('build broke');
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock whose holder has exited', async () => {
    await writeFile(lock, String(deadPid()));
    const result = await withFileLock(lock, { signal: never }, async () => 'built');
    expect(result).toBe('built');
    expect(existsSync(lock)).toBe(false);
  });

  it('gives up on a live holder after the timeout, naming it', async () => {
    await writeFile(lock, String(process.pid));
    await expect(
      withFileLock(lock, { signal: never, timeoutMs: 0, pollMs: 1 }, async () => 'built'),
    ).rejects.toThrow(`held by process ${process.pid}`);
    expect(existsSync(lock)).toBe(true); // not ours to remove
  });

  it('stops waiting when the signal aborts', async () => {
    await writeFile(lock, String(process.pid));
    const controller = new AbortController();
    const waiting = withFileLock(lock, { signal: controller.signal, pollMs: 1 }, async () => 'built');
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });
});
