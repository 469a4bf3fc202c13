import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = join(root, 'test', '.readme-tmp');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README', () => {
  it('quick start is the two commands plus the test command', () => {
    const quickStart = readme.split('## Quick start')[1]?.split('##')[0] ?? '';
    expect(quickStart).toContain('npm install');
    expect(quickStart).toContain('npm start');
    expect(quickStart).toContain('npm test');
  });

  it('runs its example as written and gets the typed outputs it describes', async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, 'example.ts');
    const source = (code ?? '')
      .replace("from 'signet/testing'", `from '${join(root, 'src', 'testing', 'index.ts')}'`)
      .replace("from 'signet'", `from '${join(root, 'src', 'index.ts')}'`);
    writeFileSync(file, `${source}\nexport { outputs, usage, trace };\n`);
    const mod = (await import(file)) as { outputs: unknown; trace: { attempts: number } };
    expect(mod.outputs).toEqual({ answer: 'Paris', confidence: 0.92 });
    expect(mod.trace.attempts).toBe(1);
  });

  it('links only to files that exist', () => {
    for (const [, target] of readme.matchAll(/\]\(((?:docs|signatures)\/[^)]+)\)/g)) {
      expect(() => readFileSync(join(root, target ?? ''), 'utf8'), target).not.toThrow();
    }
  });
});
