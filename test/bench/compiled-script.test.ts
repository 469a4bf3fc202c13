import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_TSCONFIG, compiledPathOf, compiledScript } from '../../bench/lib/compiled-script.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const never = new AbortController().signal;

let project = '';

/** A tiny project built the way the bench builds this one: `tsc -b tsconfig.build.json` into dist/. */
async function writeProject(source: string): Promise<string> {
  await mkdir(path.join(project, 'src'), { recursive: true });
  await writeFile(path.join(project, 'package.json'), '{ "type": "module" }');
  await writeFile(
    path.join(project, BUILD_TSCONFIG),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        strict: true,
        types: [],
        rewriteRelativeImportExtensions: true,
        outDir: 'dist',
        rootDir: '.',
        incremental: true,
        tsBuildInfoFile: 'dist/.tsbuildinfo',
      },
      include: ['src'],
    }),
  );
  const file = path.join(project, 'src', 'child.ts');
  await writeFile(file, source);
  return file;
}

beforeEach(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'signet-compiled-'));
});
afterEach(() => rm(project, { recursive: true, force: true }));

describe('compiledPathOf', () => {
  it("maps a source of the repository to its file in the build's output folder", () => {
    expect(compiledPathOf(path.join(ROOT, 'bench/suites/http-server.child.ts'))).toBe(
      path.join(ROOT, 'dist/bench/suites/http-server.child.js'),
    );
  });

  it('refuses a file outside the repository or not TypeScript', () => {
    expect(() => compiledPathOf('/elsewhere/x.ts', ROOT)).toThrow('not a TypeScript file inside');
    expect(() => compiledPathOf(path.join(ROOT, 'bin/signet.js'), ROOT)).toThrow('not a TypeScript file');
  });
});

describe('compiledScript', { timeout: 60_000 }, () => {
  it('builds the project and returns the compiled file, which runs under plain node', async () => {
    const source = await writeProject("const answer: number = 42;\nconsole.log('answer', answer);\n");
    const script = await compiledScript(source, { root: project, signal: never });
    expect(script).toBe(path.join(project, 'dist/src/child.js'));
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8' })).toBe('answer 42\n');
  });

  it('rebuilds after the source changes, so a child never runs stale code', async () => {
    const source = await writeProject('console.log(1);\n');
    await compiledScript(source, { root: project, signal: never });
    // Date the build a second back: file times can be coarser than one build-and-edit.
    const builtAt = new Date(Date.now() - 1000);
    await utimes(path.join(project, 'dist/.tsbuildinfo'), builtAt, builtAt);
    await writeFile(source, 'console.log(2);\n');
    const script = await compiledScript(source, { root: project, signal: never });
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8' })).toBe('2\n');
  });

  it('fails with the command, the file and the error when the build has a type error', async () => {
    const source = await writeProject("const answer: number = 'forty-two';\nconsole.log(answer);\n");
    const failure = compiledScript(source, { root: project, signal: never });
    await expect(failure).rejects.toThrow(`the build failed (tsc -b ${BUILD_TSCONFIG} exited with code`);
    await expect(failure).rejects.toThrow(/src\/child\.ts\(1,7\): error TS2322/);
  });

  it('lets concurrent builds of one checkout take turns, and leaves no lock behind', async () => {
    const source = await writeProject('console.log(3);\n');
    const scripts = await Promise.all(
      [1, 2, 3].map(() => compiledScript(source, { root: project, signal: never })),
    );
    expect(new Set(scripts).size).toBe(1);
    expect(existsSync(path.join(project, 'dist/.build.lock'))).toBe(false);
  });

  it('says so when the build does not produce the script', async () => {
    await writeProject('console.log(4);\n');
    const outside = path.join(project, 'other', 'not-included.ts');
    await mkdir(path.dirname(outside));
    await writeFile(outside, 'console.log(5);\n');
    await expect(compiledScript(outside, { root: project, signal: never })).rejects.toThrow(
      `was not built: is its source inside the "include" of ${BUILD_TSCONFIG}?`,
    );
  });
});
