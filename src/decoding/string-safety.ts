/**
 * Which byte sequences an unconstrained JSON string accepts without ending: whole characters other than
 * `"`, `\` and controls, complete escapes, and a character or escape left unfinished at the end (the next
 * token finishes it). Tokens like that are accepted by every string without a pattern that has room for
 * them, whatever the surrounding document, so masks inside strings can take them in bulk.
 */

const IN = 0;
const ESCAPE = 1;
const HEX = 2; // 2..5: k hex digits read
const LOW_SLASH = 6;
const LOW_U = 7;
const LOW_HEX = 8; // 8..11
const CONT = 12; // continuation bytes pending (count in `pending`)

const SIMPLE = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function hex(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Result of scanning: UTF-16 units the bytes add (unfinished characters counted whole), or -1. */
export interface StringScan {
  /** UTF-16 units, or -1 when the bytes leave the string or are invalid. */
  readonly units: number;
  /** Whether the scan ended between characters (no unfinished character or escape). */
  readonly clean: boolean;
}

/**
 * Scans `bytes[from..to)` as string content starting between characters. Calls `atBoundary(i)` for
 * each position i (from..to) where the scan is between characters, when given.
 */
export function scanStringContent(
  bytes: Uint8Array,
  from: number,
  to: number,
  atBoundary?: (position: number) => void,
): StringScan {
  let state = IN;
  let units = 0;
  let value = 0; // escape value so far
  let pending = 0;
  let lo = 0x80;
  let hi = 0xbf;
  for (let i = from; i < to; i++) {
    if (state === IN) atBoundary?.(i);
    const b = bytes[i] as number;
    switch (state) {
      case IN:
        if (b === 0x5c) {
          state = ESCAPE;
          units += 1; // every escape adds at least one unit (a surrogate pair adds one more below)
        } else if (b === 0x22 || b < 0x20) return { units: -1, clean: false };
        else if (b < 0x80) units += 1;
        else if (b >= 0xc2 && b <= 0xdf) [state, pending, lo, hi, units] = [CONT, 1, 0x80, 0xbf, units + 1];
        else if (b >= 0xe0 && b <= 0xef) {
          [state, pending, units] = [CONT, 2, units + 1];
          lo = b === 0xe0 ? 0xa0 : 0x80;
          hi = b === 0xed ? 0x9f : 0xbf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          [state, pending, units] = [CONT, 3, units + 2];
          lo = b === 0xf0 ? 0x90 : 0x80;
          hi = b === 0xf4 ? 0x8f : 0xbf;
        } else return { units: -1, clean: false };
        break;
      case CONT:
        if (b < lo || b > hi) return { units: -1, clean: false };
        [lo, hi] = [0x80, 0xbf];
        if (--pending === 0) state = IN;
        break;
      case ESCAPE:
        if (b === 0x75) [state, value] = [HEX, 0];
        else if (SIMPLE.has(b)) state = IN;
        else return { units: -1, clean: false };
        break;
      case LOW_SLASH:
        if (b !== 0x5c) return { units: -1, clean: false };
        state = LOW_U;
        break;
      case LOW_U:
        if (b !== 0x75) return { units: -1, clean: false };
        [state, value] = [LOW_HEX, 0];
        break;
      default: {
        const digit = hex(b);
        if (digit < 0) return { units: -1, clean: false };
        value = value * 16 + digit;
        const low = state >= LOW_HEX;
        const read = state - (low ? LOW_HEX : HEX) + 1;
        const scale = 16 ** (4 - read);
        const [min, max] = [value * scale, value * scale + scale - 1];
        if (low) {
          if (max < 0xdc00 || min > 0xdfff) return { units: -1, clean: false };
          state = read === 4 ? IN : state + 1;
        } else if (read < 4) {
          if (min >= 0xdc00 && max <= 0xdfff) return { units: -1, clean: false };
          state++;
        } else if (value >= 0xdc00 && value <= 0xdfff) return { units: -1, clean: false };
        else if (value >= 0xd800 && value <= 0xdbff) [state, units] = [LOW_SLASH, units + 1];
        else state = IN;
      }
    }
  }
  if (state === IN) atBoundary?.(to);
  // An unfinished \uXXXX may still become a surrogate pair (two units).
  const extra = state >= HEX && state < HEX + 4 ? 1 : 0;
  return { units: units + extra, clean: state === IN };
}
