import {
  ceilNonNegative,
  compareDecimal,
  type Decimal,
  floorNonNegative,
  largestPowerAtMost,
  maxDecimal,
  negate,
  parseDecimal,
  pow10,
  smallestPowerAtLeast,
} from './decimal.ts';

/**
 * Exact bound checks for JSON numbers typed left to right. `canReach` answers "can this prefix still be
 * completed into a number within [lower, upper]?", so the grammar rejects a byte as soon as no in-bounds
 * completion is left (no dead ends, no out-of-range result); `inBounds` checks a finished number.
 */

/** Bounds of a number node. */
export interface NumberBounds {
  /** Integers only (no fraction or exponent in the text). */
  readonly integer: boolean;
  /** Inclusive lower bound. */
  readonly lower: Decimal;
  /** Inclusive upper bound. */
  readonly upper: Decimal;
}

const ZERO: Decimal = { m: 0n, e: 0 };
const PREFIX = /^(-?)(\d*)(\.?)(\d*)(?:([eE])([+-]?)(\d*))?$/;

/** Whether a finished number text lies within the bounds. */
export function inBounds(bounds: NumberBounds, text: string): boolean {
  const value = parseDecimal(text);
  return compareDecimal(bounds.lower, value) <= 0 && compareDecimal(value, bounds.upper) <= 0;
}

/** Whether the number prefix `text` (a valid JSON number prefix) has a completion within the bounds. */
export function canReach(bounds: NumberBounds, text: string): boolean {
  if (text === '') return compareDecimal(bounds.lower, bounds.upper) <= 0;
  const match = PREFIX.exec(text);
  if (match === null) return false;
  const [, minus = '', int = '', , frac = '', e, expSign = '', expDigits = ''] = match;
  // The magnitudes allowed on this sign's side: [low, high] with 0 <= low.
  const negative = minus === '-';
  const high = negative ? negate(bounds.lower) : bounds.upper;
  const low = maxDecimal(negative ? negate(bounds.upper) : bounds.lower, ZERO);
  if (compareDecimal(low, high) > 0) return false;
  if (int === '') {
    // Just "-": any magnitude on this side (for integers, some whole one).
    return !bounds.integer || ceilNonNegative(low) <= floorNonNegative(high);
  }
  const lowIsZero = low.m === 0n;
  if (bounds.integer) return integerReachable(int, low, high);
  const digits = BigInt(int + frac);
  if (e === undefined) return mantissaReachable(digits, low, high, lowIsZero);
  if (digits === 0n) return lowIsZero; // 0 × 10^anything is 0
  const mantissa: Decimal = { m: digits, e: -frac.length };
  const expHigh = largestPowerAtMost(high, mantissa.m) - mantissa.e;
  const expLow = lowIsZero ? Number.NEGATIVE_INFINITY : smallestPowerAtLeast(low, mantissa.m) - mantissa.e;
  if (expLow > expHigh) return false;
  if (expSign === '' && expDigits === '') return true; // "…e": either sign may follow
  const from = expSign === '-' ? Math.max(-expHigh, 0) : Math.max(expLow, 0);
  const to = expSign === '-' ? -expLow : expHigh;
  if (from > to) return false;
  return expDigits === '' || extensionsMeet(Number(expDigits), from, to);
}

/** Integers: "I" can become I, I·10+d, I·100+dd, ... (no leading-zero extension of "0"). */
function integerReachable(int: string, low: Decimal, high: Decimal): boolean {
  const lo = ceilNonNegative(low);
  const hi = floorNonNegative(high);
  if (lo > hi) return false;
  const start = BigInt(int);
  if (int === '0') return lo === 0n;
  for (let k = 0; ; k++) {
    const scale = pow10(k);
    const first = start * scale;
    if (first > hi) return false;
    if (first + scale - 1n >= lo) return true;
  }
}

/**
 * Numbers before the exponent: later digits and a free exponent reach every value whose significant
 * digits start with `digits` — the union over j of [S·10^j, (S+1)·10^j).
 */
function mantissaReachable(digits: bigint, low: Decimal, high: Decimal, lowIsZero: boolean): boolean {
  if (digits === 0n) return true; // "0", "0.00": more digits and an exponent reach any magnitude
  if (high.m === 0n) return false;
  const jMax = largestPowerAtMost(high, digits);
  const jMin = lowIsZero ? Number.NEGATIVE_INFINITY : largestPowerAtMost(low, digits + 1n) + 1;
  return jMin <= jMax;
}

/** Whether some integer written as `x` followed by more digits lies in [from, to]. */
function extensionsMeet(x: number, from: number, to: number): boolean {
  for (let k = 0; k < 40; k++) {
    const scale = 10 ** k;
    const first = x * scale;
    if (first > to && x > 0) return false;
    if (first <= to && first + scale - 1 >= from) return true;
  }
  return false;
}
