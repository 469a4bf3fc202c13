import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { hashCanonical } from '../../util/canonical-json.ts';

/** Name of the marker file that records which parameters produced a folder. */
export const TINY_MODEL_MARKER = 'signet-tiny-model.json';

/** Files of a model folder, keyed by path relative to the folder. */
export type ModelFolderFiles = Readonly<Record<string, string | Uint8Array>>;

/** What writing a model folder did. */
export interface WrittenModelFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Hash of the parameters the folder was built from (hex sha256). */
  readonly hash: string;
  /** True when the folder already held a model built from the same parameters, so nothing was written. */
  readonly skipped: boolean;
  /** Relative paths of the model files. */
  readonly files: readonly string[];
}

async function isUpToDate(dir: string, hash: string): Promise<readonly string[] | undefined> {
  try {
    const marker: unknown = JSON.parse(await readFile(join(dir, TINY_MODEL_MARKER), 'utf8'));
    if (typeof marker !== 'object' || marker === null) return undefined;
    const { hash: storedHash, files } = marker as { hash?: unknown; files?: unknown };
    if (storedHash !== hash || !Array.isArray(files)) return undefined;
    const names = files.filter((f): f is string => typeof f === 'string');
    await Promise.all(names.map((f) => stat(join(dir, f))));
    return names;
  } catch {
    return undefined;
  }
}

/**
 * Writes a model folder unless it already holds a model built from the same parameters. Each file is
 * written to a temporary name and renamed into place, and the marker is written last, so a concurrent
 * reader (another test worker) never sees a half-written file.
 */
export async function writeModelFolder(
  dir: string,
  params: unknown,
  build: () => ModelFolderFiles,
): Promise<WrittenModelFolder> {
  const absolute = resolve(dir);
  const hash = hashCanonical(params);
  const existing = await isUpToDate(absolute, hash);
  if (existing !== undefined) return { dir: absolute, hash, skipped: true, files: existing };

  const files = build();
  const names = Object.keys(files);
  const suffix = `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const writeAtomic = async (relative: string, content: string | Uint8Array): Promise<void> => {
    const target = join(absolute, relative);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target + suffix, content);
    await rename(target + suffix, target);
  };
  for (const name of names) await writeAtomic(name, files[name] ?? '');
  await writeAtomic(
    TINY_MODEL_MARKER,
    `${JSON.stringify({ generator: 'signet-tiny-models', hash, params, files: names }, null, 2)}\n`,
  );
  return { dir: absolute, hash, skipped: false, files: names };
}
