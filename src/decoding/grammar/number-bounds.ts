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

/** The magnitudes allowed on one sign's side: [low, high] with 0 <= low, or empty. */
interface Side {
  readonly empty: boolean;
  readonly low: Decimal;
  readonly high: Decimal;
  readonly lowIsZero: boolean;
  /** Smallest and largest whole magnitudes (for integers); lo > hi when there is none. */
  readonly intLow: bigint;
  readonly intHigh: bigint;
}

/** Bounds of a number node, prepared for fast checks. */
export interface NumberBounds {
  /** Integers only (no fraction or exponent in the text). */
  readonly integer: boolean;
  /** Inclusive lower bound. */
  readonly lower: Decimal;
  /** Inclusive upper bound. */
  readonly upper: Decimal;
  /** Magnitudes allowed without a minus sign. */
  readonly positive: Side;
  /** Magnitudes allowed with a minus sign. */
  readonly negative: Side;
  /**
   * Plain decimals only (no exponent). Set for bounded numbers: with an exponent, any prefix can still
   * be brought into bounds (`9` may become `9e-1`), so a sampling model could wander through digits
   * forever; without one, every prefix that leaves the bounds is cut at once.
   */
  readonly plain?: boolean;
}

const ZERO: Decimal = { m: 0n, e: 0 };

function side(low: Decimal, high: Decimal): Side {
  const clipped = maxDecimal(low, ZERO);
  const empty = compareDecimal(clipped, high) > 0;
  return {
    empty,
    low: clipped,
    high,
    lowIsZero: clipped.m === 0n,
    intLow: empty ? 1n : ceilNonNegative(clipped),
    intHigh: empty ? 0n : floorNonNegative(high),
  };
}

/** Prepares inclusive bounds for {@link canReach} and {@link inBounds}. */
export function prepareBounds(integer: boolean, lower: Decimal, upper: Decimal): NumberBounds {
  return {
    integer,
    lower,
    upper,
    positive: side(lower, upper),
    negative: side(negate(upper), negate(lower)),
  };
}

/** Whether a finished number text lies within the bounds. */
export function inBounds(bounds: NumberBounds, text: string): boolean {
  const value = parseDecimal(text);
  return compareDecimal(bounds.lower, value) <= 0 && compareDecimal(value, bounds.upper) <= 0;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Whether the number prefix `text` (a valid JSON number prefix) has a completion within the bounds. */
export function canReach(bounds: NumberBounds, text: string): boolean {
  if (text === '') return !bounds.positive.empty || !bounds.negative.empty;
  const negative = text.charCodeAt(0) === 0x2d;
  const range = negative ? bounds.negative : bounds.positive;
  if (range.empty) return false;
  let i = negative ? 1 : 0;
  const intStart = i;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  const int = text.slice(intStart, i);
  if (int === '') return !bounds.integer || range.intLow <= range.intHigh; // just "-"
  if (bounds.integer) return integerReachable(int, range);
  let frac = '';
  if (text.charCodeAt(i) === 0x2e) {
    const fracStart = ++i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    frac = text.slice(fracStart, i);
  }
  const allZero = /^0*$/.test(int) && /^0*$/.test(frac);
  if (i >= text.length && bounds.plain === true) return plainReachable(int, frac, text.includes('.'), range);
  if (i >= text.length) {
    // Before the exponent: later digits and a free exponent reach every value whose significant digits
    // start with these — the union over j of [S·10^j, (S+1)·10^j).
    if (allZero) return true;
    if (range.high.m === 0n) return false;
    if (range.lowIsZero) return true;
    const digits = BigInt(int + frac);
    return largestPowerAtMost(range.low, digits + 1n) + 1 <= largestPowerAtMost(range.high, digits);
  }
  if (allZero) return range.lowIsZero; // 0 × 10^anything is 0
  const expSign = text[i + 1] === '+' || text[i + 1] === '-' ? (text[i + 1] as string) : '';
  const expDigits = text.slice(i + 1 + expSign.length);
  const mantissa: Decimal = { m: BigInt(int + frac), e: -frac.length };
  const expHigh = largestPowerAtMost(range.high, mantissa.m) - mantissa.e;
  const expLow = range.lowIsZero
    ? Number.NEGATIVE_INFINITY
    : smallestPowerAtLeast(range.low, mantissa.m) - mantissa.e;
  if (expLow > expHigh) return false;
  if (expSign === '' && expDigits === '') return true; // "…e": either sign may follow
  const from = expSign === '-' ? Math.max(-expHigh, 0) : Math.max(expLow, 0);
  const to = expSign === '-' ? -expLow : expHigh;
  if (from > to) return false;
  return expDigits === '' || extensionsMeet(Number(expDigits), from, to);
}

/** Integers: "I" can become I, I·10+d, I·100+dd, ... (no leading-zero extension of "0"). */
function integerReachable(int: string, range: Side): boolean {
  const { intLow: lo, intHigh: hi } = range;
  if (lo > hi) return false;
  if (int === '0') return lo === 0n;
  const start = BigInt(int);
  for (let k = 0; ; k++) {
    const scale = pow10(k);
    const first = start * scale;
    if (first > hi) return false;
    if (first + scale - 1n >= lo) return true;
  }
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

/**
 * Whether an exponent-free continuation of `int[.frac]` reaches the magnitude range, exactly: after the
 * point the value stays in [v, v + 10^-digits); before it, more integer digits give [I·10^j, (I+1)·10^j).
 */
function plainReachable(int: string, frac: string, dotSeen: boolean, range: Side): boolean {
  const overlaps = (start: Decimal, end: Decimal): boolean =>
    compareDecimal(start, range.high) <= 0 && compareDecimal(end, range.low) > 0;
  if (dotSeen) {
    const digits = BigInt(int + frac);
    return overlaps({ m: digits, e: -frac.length }, { m: digits + 1n, e: -frac.length });
  }
  const whole = BigInt(int);
  for (let j = 0; compareDecimal({ m: whole, e: j }, range.high) <= 0; j++) {
    if (overlaps({ m: whole, e: j }, { m: whole + 1n, e: j })) return true;
    if (int === '0' || j > 400) break; // no digit may follow a leading zero
  }
  return false;
}
