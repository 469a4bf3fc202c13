import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog, isErrorCode, OutputParseError, SignetError } from '../../src/index.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

interface DocEntry {
  status: number;
  retryable: boolean;
  hasFix: boolean;
}

function documented(): Map<string, DocEntry> {
  const entries = new Map<string, DocEntry>();
  for (const section of doc.split(/^## /m).slice(1)) {
    const code = section.split('\n')[0]?.trim() ?? '';
    const status = Number(/- status: (\d+)/.exec(section)?.[1]);
    const retryable = /- retryable: yes/.test(section);
    entries.set(code, { status, retryable, hasFix: /\*\*How to fix:\*\* \S/.test(section) });
  }
  return entries;
}

describe('error catalog', () => {
  it('documents every catalog code with its status, retryable flag and a fix', () => {
    const docs = documented();
    for (const [code, spec] of Object.entries(errorCatalog)) {
      const entry = docs.get(code);
      expect(entry, `${code} is missing from docs/errors.md`).toBeDefined();
      expect(entry?.status, code).toBe(spec.status);
      expect(entry?.retryable, code).toBe(spec.retryable);
      expect(entry?.hasFix, `${code} needs a "How to fix" line`).toBe(true);
    }
  });

  it('has a catalog entry for every documented code', () => {
    for (const code of documented().keys())
      expect(isErrorCode(code), `${code} is documented but not in the catalog`).toBe(true);
  });

  it('lists every code in the summary table of the docs', () => {
    for (const code of Object.keys(errorCatalog))
      expect(doc).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });

  it('uses SIGNET_ codes and HTTP statuses', () => {
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^SIGNET_[A-Z]+(_[A-Z]+)*$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
    }
  });

  it('takes status and retryable from the catalog and recognizes errors across copies', () => {
    const error = new SignetError('SIGNET_PROVIDER_TIMEOUT', 'slow');
    expect(error.statusCode).toBe(504);
    expect(error.retryable).toBe(true);
    expect(SignetError.is(error)).toBe(true);
    expect(SignetError.is(new Error('plain'))).toBe(false);
    expect(SignetError.is({ ...error })).toBe(false);
    expect(error.toJSON()).toEqual({ code: 'SIGNET_PROVIDER_TIMEOUT', message: 'slow', retryable: true });
  });

  it('keeps the raw text on output parse errors', () => {
    const error = new OutputParseError('bad', { rawText: 'Answer: ?', attempts: 3, issues: [] });
    expect(error.code).toBe('SIGNET_OUTPUT_INVALID');
    expect(error.rawText).toBe('Answer: ?');
    expect(error.details).toEqual({ attempts: 3 });
  });
});
