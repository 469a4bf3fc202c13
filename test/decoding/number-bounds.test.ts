import { describe, expect, it } from 'vitest';
import { decimalFromNumber, nextUp } from '../../src/decoding/grammar/decimal.ts';
import { canReach, inBounds, prepareBounds } from '../../src/decoding/grammar/number-bounds.ts';

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const PREFIX = /^-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?$/;

/** Every valid number prefix up to `length` characters. */
function prefixes(length: number, integer: boolean): string[] {
  const alphabet = integer ? [...'-01579'] : [...'-0157.eE+'];
  let level = [''];
  const all = [''];
  for (let i = 0; i < length; i++) {
    level = level.flatMap((p) => alphabet.map((c) => p + c)).filter((p) => isPrefix(p, integer));
    all.push(...level);
  }
  return all;
}

function isPrefix(text: string, integer: boolean): boolean {
  if (integer) return /^-?(?:0|[1-9]\d*)?$/.test(text);
  if (!PREFIX.test(text)) return false;
  return !/^-?\./.test(text) && !/\.[eE]/.test(text) && !/^-?[eE]/.test(text);
}

/** Whether some completion of `prefix` of at most `extra` more characters is a number within [lo, hi]. */
function reachableByBruteForce(
  prefix: string,
  extra: number,
  integer: boolean,
  lo: number,
  hi: number,
): boolean {
  const alphabet = integer ? [...'-0123456789'] : [...'0123456789.e+-'];
  let level = [prefix];
  for (let i = 0; i <= extra; i++) {
    for (const text of level) {
      if ((integer ? INTEGER : NUMBER).test(text) && Number(text) >= lo && Number(text) <= hi) return true;
    }
    if (i < extra)
      level = level.flatMap((p) => alphabet.map((c) => p + c)).filter((p) => isPrefix(p, integer));
  }
  return false;
}

const CASES: { integer: boolean; lo: number; hi: number }[] = [
  { integer: false, lo: 0, hi: 1 },
  { integer: false, lo: -2.5, hi: 3 },
  { integer: false, lo: 10, hi: 20 },
  { integer: false, lo: 0.001, hi: 0.002 },
  { integer: false, lo: 5, hi: 5 },
  { integer: true, lo: 0, hi: 10 },
  { integer: true, lo: -15, hi: -3 },
  { integer: true, lo: 7, hi: 7 },
];

describe('number bounds', () => {
  it.each(CASES)('canReach agrees with a brute-force search (%o)', ({ integer, lo, hi }) => {
    const bounds = prepareBounds(integer, decimalFromNumber(lo), decimalFromNumber(hi));
    for (const prefix of prefixes(3, integer)) {
      // Four more characters reach every value these bounds allow from a three-character prefix.
      expect(canReach(bounds, prefix), `${prefix} in [${lo}, ${hi}]`).toBe(
        reachableByBruteForce(prefix, 4, integer, lo, hi),
      );
    }
  });

  it('compares exactly, beyond double precision', () => {
    const unit = prepareBounds(false, decimalFromNumber(0), decimalFromNumber(1));
    expect(inBounds(unit, '1.0000000000000000001')).toBe(false);
    expect(inBounds(unit, '0.99999999999999999999')).toBe(true);
    expect(inBounds(unit, '1e-400')).toBe(true);
    expect(inBounds(unit, '0e999999999999')).toBe(true);
  });

  it('keeps exclusive bounds strict after parsing by moving them to the next double', () => {
    const positive = prepareBounds(false, decimalFromNumber(nextUp(0)), decimalFromNumber(Number.MAX_VALUE));
    expect(inBounds(positive, '0')).toBe(false);
    expect(inBounds(positive, '5e-324')).toBe(true);
    expect(Number('5e-324')).toBeGreaterThan(0);
    expect(inBounds(positive, '2e-324')).toBe(false); // would parse to 0
  });

  it('rejects exponents that overflow to Infinity early', () => {
    const any = prepareBounds(
      false,
      decimalFromNumber(-Number.MAX_VALUE),
      decimalFromNumber(Number.MAX_VALUE),
    );
    expect(canReach(any, '1e30')).toBe(true);
    expect(canReach(any, '1e308')).toBe(true);
    expect(canReach(any, '1e309')).toBe(false);
    expect(canReach(any, '2e308')).toBe(false);
    expect(canReach(any, '1e-99999')).toBe(true);
  });
});
