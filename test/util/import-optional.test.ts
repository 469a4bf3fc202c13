import { describe, expect, it } from 'vitest';
import { SignetError } from '../../src/errors/signet-error.ts';
import { importOptional, missingDependency } from '../../src/util/import-optional.ts';

const wanted = { name: 'signet-absent-package', install: 'signet-absent-package@1', feature: 'Testing' };

describe('importOptional', () => {
  it('turns a package that is not installed into SIGNET_DEPENDENCY_MISSING with the line to run', async () => {
    const name = wanted.name; // a variable: no bundler or type checker resolves it
    const error = await importOptional(wanted, () => import(name)).catch((caught: unknown) => caught);
    expect(SignetError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'SIGNET_DEPENDENCY_MISSING',
      details: { package: 'signet-absent-package', install: 'npm install signet-absent-package@1' },
    });
    expect((error as Error).message).toContain('run `npm install signet-absent-package@1`');
  });

  it('passes on any other failure, and a missing package that is not the one asked for', async () => {
    const broken = new Error('the addon crashed');
    await expect(importOptional(wanted, () => Promise.reject(broken))).rejects.toBe(broken);
    const other = Object.assign(new Error("Cannot find package 'something-else' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(missingDependency(wanted, other)).toBeUndefined();
    const required = Object.assign(new Error("Cannot find module 'signet-absent-package'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(missingDependency(wanted, required)?.code).toBe('SIGNET_DEPENDENCY_MISSING');
  });

  it('returns the module when it loads', async () => {
    const path = await importOptional(wanted, () => import('node:path'));
    expect(typeof path.join).toBe('function');
  });
});
