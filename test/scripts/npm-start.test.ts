import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BUILD_OUT_DIR, BUILD_TSCONFIG } from '../../bench/lib/compiled-script.ts';
import { SERVER_NODE_FLAGS } from '../../bench/suites/server-pair.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scripts: Record<string, string> = JSON.parse(
  readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
).scripts;
const build: { compilerOptions: Record<string, unknown>; include: string[] } = JSON.parse(
  readFileSync(path.join(ROOT, BUILD_TSCONFIG), 'utf8'),
);
/** What the measured bench children and `npm start` run, by source. */
const ENTRY_POINTS = [
  'server/start.ts',
  'bench/suites/http-server.child.ts',
  'bench/suites/memory-soak.child.ts',
];

/** Repository files reachable by relative imports (static and dynamic) from the entry points. */
function reachableFiles(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = entries.map((entry) => path.join(ROOT, entry));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) pending.push(path.resolve(path.dirname(file), fileName));
    }
  }
  return seen;
}

describe('npm start', () => {
  it('builds with the tsconfig the bench builds with, then runs the compiled server with plain node', () => {
    expect(scripts.prestart).toBe(`tsc -b ${BUILD_TSCONFIG}`);
    expect(scripts.start).toBe(['node', ...SERVER_NODE_FLAGS, `${BUILD_OUT_DIR}/server/start.js`].join(' '));
    expect(build.compilerOptions.outDir).toBe(BUILD_OUT_DIR);
  });

  it('is ready after a plain npm install (prepare builds) and keeps a tsx script for development', () => {
    expect(scripts.prepare).toBe(`tsc -b ${BUILD_TSCONFIG}`);
    expect(scripts.build).toBe(`tsc -b ${BUILD_TSCONFIG}`);
    expect(scripts.dev).toBe('tsx server/start.ts');
  });

  it('builds incrementally, with the build state inside the output folder (deleting it rebuilds all)', () => {
    expect(build.compilerOptions.incremental).toBe(true);
    const info = String(build.compilerOptions.tsBuildInfoFile);
    expect(path.relative(BUILD_OUT_DIR, info).startsWith('..')).toBe(false);
  });

  it('watches every folder the server and the bench children import from, so no edit is missed', () => {
    // tsc -b decides "up to date" from the files its "include" lists: an imported file outside them
    // would be compiled once and then never rebuilt after an edit.
    const folders = new Set(
      [...reachableFiles(ENTRY_POINTS)].map((file) => path.relative(ROOT, file).split(path.sep)[0]),
    );
    expect(folders).toContain('bench');
    expect(folders).toContain('src');
    for (const folder of folders) expect(build.include, `${folder}/ is imported`).toContain(folder);
  });

  it('keeps the compiled output out of git', () => {
    const ignored = readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${BUILD_OUT_DIR}/`);
  });
});
