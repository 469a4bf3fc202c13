/**
 * Exact decimal numbers (`m × 10^e` with a BigInt `m`), enough arithmetic to compare JSON number texts
 * with bounds without floating-point rounding.
 */
export interface Decimal {
  /** Signed significand. */
  readonly m: bigint;
  /** Power of ten. */
  readonly e: number;
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** The exact value of a JSON number text (or of `String(aNumber)`, which uses the same syntax). */
export function parseDecimal(text: string): Decimal {
  const match = NUMBER_TEXT.exec(text);
  if (match === null) throw new RangeError(`not a number text: ${text}`);
  const [, sign = '', int = '0', frac = '', exp = '0'] = match;
  const digits = BigInt(int + frac);
  return { m: sign === '-' ? -digits : digits, e: Number(exp) - frac.length };
}

/** The exact decimal value of a finite double, via its shortest round-trip text. */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return parseDecimal(String(value));
}

/** 10^k for k >= 0. */
export function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** Compares two decimals: negative, zero or positive like a sort comparator. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  let left = a.m;
  let right = b.m;
  if (a.e > b.e) left *= pow10(a.e - b.e);
  else if (b.e > a.e) right *= pow10(b.e - a.e);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `-d`. */
export function negate(d: Decimal): Decimal {
  return { m: -d.m, e: d.e };
}

/** The larger of two decimals. */
export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimal(a, b) >= 0 ? a : b;
}

/** The smaller of two decimals. */
export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimal(a, b) <= 0 ? a : b;
}

/** Number of decimal digits of a positive BigInt. */
export function digitCount(m: bigint): number {
  return m.toString().length;
}

/** Largest integer ≤ d, for d >= 0. */
export function floorNonNegative(d: Decimal): bigint {
  return d.e >= 0 ? d.m * pow10(d.e) : d.m / pow10(-d.e);
}

/** Smallest integer ≥ d, for d >= 0. */
export function ceilNonNegative(d: Decimal): bigint {
  if (d.e >= 0) return d.m * pow10(d.e);
  const scale = pow10(-d.e);
  const q = d.m / scale;
  return q * scale === d.m ? q : q + 1n;
}

/** Largest integer t with `m × 10^t ≤ d` (d > 0, m > 0). */
export function largestPowerAtMost(d: Decimal, m: bigint): number {
  let t = digitCount(d.m) - digitCount(m);
  const fits = t >= 0 ? m * pow10(t) <= d.m : m <= d.m * pow10(-t);
  if (!fits) t -= 1;
  return t + d.e;
}

/** Smallest integer t with `m × 10^t ≥ d` (d > 0, m > 0). */
export function smallestPowerAtLeast(d: Decimal, m: bigint): number {
  let t = digitCount(d.m) - digitCount(m);
  const reaches = t >= 0 ? m * pow10(t) >= d.m : m >= d.m * pow10(-t);
  if (!reaches) t += 1;
  return t + d.e;
}

/** The next double above `x` (for exclusive lower bounds). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  const scratch = new DataView(new ArrayBuffer(8));
  scratch.setFloat64(0, x);
  const bits = scratch.getBigInt64(0);
  scratch.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return scratch.getFloat64(0);
}

/** The next double below `x` (for exclusive upper bounds). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
