import fc from 'fast-check';
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

  it('writes what JSON.stringify writes of a key-sorted copy, for any value', () => {
    // The first implementation, kept as the definition: hashes already stored must not change. One
    // exception: it assigned `out[key]`, so an own "__proto__" key set the copy's prototype and was
    // dropped; it is a key like any other (defined, not assigned), or two inputs would hash the same.
    const sortDeep = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortDeep);
      if (value instanceof Date) return value.toJSON();
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const member = (value as Record<string, unknown>)[key];
        if (member !== undefined) {
          Object.defineProperty(out, key, {
            value: sortDeep(member),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
      return out;
    };
    const values = fc.anything({
      withDate: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      values: [
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(undefined),
      ],
    });
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(sortDeep(value)));
      }),
      { numRuns: 2_000 },
    );
    expect(canonicalJson({ s: 'quote " and \u2028 and \ud800', n: -0, e: 1e21, d: new Date(0) })).toBe(
      JSON.stringify({ d: '1970-01-01T00:00:00.000Z', e: 1e21, n: 0, s: 'quote " and \u2028 and \ud800' }),
    );
    // An invalid date is null, as JSON.stringify writes it (found by this property, seed -1485811262).
    expect(canonicalJson({ d: new Date(Number.NaN) })).toBe('{"d":null}');
    expect(canonicalJson(JSON.parse('{"__proto__":[],"a":1}'))).toBe('{"__proto__":[],"a":1}');
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
