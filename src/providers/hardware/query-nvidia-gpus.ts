import { execFile } from 'node:child_process';
import { SignetError } from '../../errors/index.ts';
import type { NvidiaGpu } from './hardware-info.ts';

const MIB = 1024 * 1024;

/** Options of {@link queryNvidiaGpus}. */
export interface NvidiaQueryOptions {
  /** Executable to run. Default `nvidia-smi` (looked up on PATH). */
  readonly command?: string;
  /** Kill the query after this many milliseconds. Default 3000. */
  readonly timeoutMs?: number;
  /** Aborts the query. */
  readonly signal?: AbortSignal;
}

/** Result of a GPU query: the GPUs found and, when the query failed for a reason other than absence, why. */
export interface NvidiaQueryResult {
  /** GPUs found; empty when `nvidia-smi` is absent or failed. */
  readonly gpus: readonly NvidiaGpu[];
  /** Why the query failed, when `nvidia-smi` exists but did not answer cleanly. */
  readonly warning?: string;
}

/**
 * Parses `nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits` output
 * (one GPU per line, memory in MiB). Malformed lines are skipped.
 */
export function parseNvidiaSmiCsv(text: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 3) continue;
    const free = Number(parts.at(-1));
    const total = Number(parts.at(-2));
    const name = parts.slice(0, -2).join(',');
    if (name === '' || !Number.isFinite(total) || !Number.isFinite(free)) continue;
    gpus.push({ name, vramTotalBytes: total * MIB, vramFreeBytes: free * MIB });
  }
  return gpus;
}

/**
 * Runs `nvidia-smi` with a timeout. Absent binary -> no GPUs and no warning; other failures -> a warning.
 * Rejects with `SIGNET_ABORTED` only when `signal` aborts.
 */
export function queryNvidiaGpus(options: NvidiaQueryOptions = {}): Promise<NvidiaQueryResult> {
  const { command = 'nvidia-smi', timeoutMs = 3000, signal } = options;
  const args = ['--query-gpu=name,memory.total,memory.free', '--format=csv,noheader,nounits'];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, windowsHide: true, encoding: 'utf8', ...(signal ? { signal } : {}) },
      (error, stdout) => {
        if (signal?.aborted === true) {
          reject(
            new SignetError('SIGNET_ABORTED', 'Hardware probe aborted by the caller', {
              cause: signal.reason,
            }),
          );
          return;
        }
        if (error === null) {
          resolve({ gpus: parseNvidiaSmiCsv(stdout) });
          return;
        }
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          resolve({ gpus: [] });
          return;
        }
        const reason = error.killed ? `timed out after ${timeoutMs} ms` : error.message.split('\n')[0];
        resolve({ gpus: [], warning: `nvidia-smi failed (${reason}); assuming no NVIDIA GPU` });
      },
    );
  });
}
