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

/** 10^0 .. 10^400, computed once: bound checks run for every byte of every number token tried. */
const POWERS: readonly bigint[] = Object.freeze(Array.from({ length: 401 }, (_, k) => 10n ** BigInt(k)));

/** 10^k for k >= 0. */
export function pow10(k: number): bigint {
  return POWERS[k] ?? 10n ** BigInt(k);
}

/** Compares two decimals: negative, zero or positive like a sort comparator. Safe for huge exponents. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const signA = a.m > 0n ? 1 : a.m < 0n ? -1 : 0;
  const signB = b.m > 0n ? 1 : b.m < 0n ? -1 : 0;
  if (signA !== signB || signA === 0) return signA - signB;
  const magA = signA > 0 ? a.m : -a.m;
  const magB = signB > 0 ? b.m : -b.m;
  // Orders of magnitude first (|x| in [10^(o-1), 10^o)), so exponents are only aligned when close.
  const orderA = digitCount(magA) + a.e;
  const orderB = digitCount(magB) + b.e;
  if (orderA !== orderB) return orderA < orderB ? -signA : signA;
  let left = magA;
  let right = magB;
  if (a.e > b.e) left *= pow10(a.e - b.e);
  else if (b.e > a.e) right *= pow10(b.e - a.e);
  return left < right ? -signA : left > right ? signA : 0;
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
  if (m < 10000000000000000n) {
    let count = 1;
    for (let n = Number(m); n >= 10; n = Math.floor(n / 10)) count++;
    return count;
  }
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
