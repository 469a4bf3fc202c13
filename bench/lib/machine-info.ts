import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine a report was measured on: numbers only compare between like machines. */
export interface MachineInfo {
  /** `os.type() os.release()`, e.g. `Linux 6.1.0`. */
  readonly os: string;
  /** `process.platform`-`process.arch`. */
  readonly platform: string;
  /** CPU model string of the first core. */
  readonly cpuModel: string;
  /** Logical cores. */
  readonly cores: number;
  /** Total memory in bytes. */
  readonly memoryBytes: number;
  /** `process.version`. */
  readonly node: string;
  /** Commit measured, when run inside a git checkout. */
  readonly gitCommit?: string;
  /** Whether the checkout had uncommitted changes. */
  readonly gitDirty?: boolean;
}

/** Describes this machine and checkout. */
export function machineInfo(cwd: string = process.cwd()): MachineInfo {
  const cpus = os.cpus();
  const commit = git(['rev-parse', 'HEAD'], cwd);
  const status = commit === undefined ? undefined : git(['status', '--porcelain'], cwd);
  return {
    os: `${os.type()} ${os.release()}`,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    ...(commit === undefined ? {} : { gitCommit: commit }),
    ...(status === undefined ? {} : { gitDirty: status.length > 0 }),
  };
}

function git(args: readonly string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // not a checkout, or git is not installed: the report just says less
  }
}
