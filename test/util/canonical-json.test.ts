import { describe, expect, it } from 'vitest';
import { canonicalJson, hashCanonical } from '../../src/util/canonical-json.ts';
import { closestMatches, editDistance } from '../../src/util/closest-matches.ts';

describe('canonicalJson', () => {
  it('does not depend on key order at any depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } };
    const b = { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(hashCanonical(a)).toBe(hashCanonical(b));
    expect(hashCanonical(a)).not.toBe(hashCanonical({ ...a, b: 2 }));
  });

  it('drops undefined members and rejects non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('closestMatches', () => {
  it('ranks near names first and ignores unrelated ones', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestMatches('sumarize', ['summarize', 'translate', 'summarize-long'])).toEqual(['summarize']);
    expect(closestMatches('translat', ['translate-legal', 'translate', 'classify'])).toEqual([
      'translate',
      'translate-legal',
    ]);
    expect(closestMatches('zzz', ['summarize', 'translate'])).toEqual([]);
  });
});
