import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withFileLock } from './file-lock.ts';

/**
 * The build `npm start` runs before serving (`prestart`: `tsc -b tsconfig.build.json`). It compiles
 * bench/ too, so the bench's children are built by the same command into the same folder.
 */
export const BUILD_TSCONFIG = 'tsconfig.build.json';
/** That build's `outDir`, relative to the repository root (a test binds it to the tsconfig). */
export const BUILD_OUT_DIR = 'dist';
/** Lock file in the output folder: one build at a time among processes sharing the checkout. */
const LOCK_FILE = '.build.lock';
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Where to build. */
export interface CompiledBuildOptions {
  /** Repository root holding the build tsconfig (default: this checkout). */
  readonly root?: string;
  /** Aborting stops the build, or the wait for another process's build. */
  readonly signal: AbortSignal;
}

/**
 * Brings the compiled output up to date (`tsc -b tsconfig.build.json`: incremental, about 0.2 s when
 * nothing changed) and returns the compiled `.js` of `source`, a `.ts` file of the repository. Bench
 * children run that file with plain `node`, so what they measure is what `npm start` runs, never tsx.
 * Throws when the build fails (type errors included: `npm start` would refuse to start too), naming the
 * first errors.
 */
export async function compiledScript(source: URL | string, options: CompiledBuildOptions): Promise<string> {
  const root = options.root ?? REPO_ROOT;
  const script = compiledPathOf(typeof source === 'string' ? source : fileURLToPath(source), root);
  await buildCompiled(options);
  try {
    await access(script);
  } catch {
    throw new Error(`${script} was not built: is its source inside the "include" of ${BUILD_TSCONFIG}?`);
  }
  return script;
}

/** `<root>/bench/suites/x.child.ts` -> `<root>/dist/bench/suites/x.child.js`. */
export function compiledPathOf(source: string, root: string = REPO_ROOT): string {
  const relative = path.relative(root, source);
  if (relative.startsWith('..') || path.isAbsolute(relative) || !/\.[cm]?ts$/.test(relative)) {
    throw new Error(`${source} is not a TypeScript file inside ${root}`);
  }
  const js = relative
    .replace(/\.ts$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
  return path.join(root, BUILD_OUT_DIR, js);
}

/** Runs the build, one process at a time (parallel test files and bench runs share the output folder). */
export async function buildCompiled(options: CompiledBuildOptions): Promise<void> {
  const root = options.root ?? REPO_ROOT;
  const outDir = path.join(root, BUILD_OUT_DIR);
  await mkdir(outDir, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await withFileLock(path.join(outDir, LOCK_FILE), { signal: options.signal }, async () => {
    try {
      await run(process.execPath, [tsc, '-b', BUILD_TSCONFIG], {
        cwd: root,
        signal: options.signal,
        maxBuffer: 32 * 1024 * 1024,
      });
    } catch (error) {
      if (options.signal.aborted) throw error;
      const failed = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
      const said = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`.trim() || failed.message;
      const lines = said.split('\n').filter((line) => line.trim() !== '');
      throw new Error(
        [
          `the build failed (tsc -b ${BUILD_TSCONFIG} exited with code ${String(failed.code)}). The bench ` +
            'measures the compiled code `npm start` runs; fix these errors (`npm run build` lists them all):',
          ...lines.slice(0, 10),
          ...(lines.length > 10 ? [`... and ${lines.length - 10} more lines`] : []),
        ].join('\n'),
      );
    }
  });
}
