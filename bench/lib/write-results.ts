import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The files of one run, by name. */
export type ResultFiles = Readonly<Record<string, string>>;

/** Where a run's files went. */
export interface WrittenResults {
  /** `<out>/<timestamp>/`, kept. */
  readonly runDir: string;
  /** `<out>/latest/`, replaced by every run. */
  readonly latestDir: string;
}

/** `2026-11-05T09:14:03Z` -> `2026-11-05T09-14-03Z`: sortable and valid on every file system. */
export function runDirName(startedAt: string): string {
  return startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
}

/** Writes the files into a new timestamped folder and replaces `latest/` with the same files. */
export async function writeResults(
  out: string,
  startedAt: string,
  files: ResultFiles,
): Promise<WrittenResults> {
  await mkdir(out, { recursive: true });
  const runDir = await createUniqueDir(out, runDirName(startedAt));
  const latestDir = path.join(out, 'latest');
  await rm(latestDir, { recursive: true, force: true });
  await mkdir(latestDir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(runDir, name), content);
    await writeFile(path.join(latestDir, name), content);
  }
  return { runDir, latestDir };
}

async function createUniqueDir(parent: string, name: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const dir = path.join(parent, attempt === 1 ? name : `${name}-${attempt}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
