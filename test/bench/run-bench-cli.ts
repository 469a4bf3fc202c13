import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** How a CLI run ended. */
export interface Outcome {
  /** Exit code. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI as `npm run bench` does (tsx), with a tiny duration. */
export async function bench(args: readonly string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A file of the latest run under `out`. */
export const read = (out: string, file: string) => readFile(path.join(out, 'latest', file), 'utf8');

/** The cells of a metric's row in report.md (6 cells, the last ending in ` |`), or undefined. */
export function rowOf(md: string, id: string): string[] | undefined {
  return md
    .split('\n')
    .find((line) => line.includes(`\`${id}\``) && line.includes(' | '))
    ?.split(' | ');
}
