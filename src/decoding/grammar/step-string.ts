import { DEAD } from '../regex/regex-automaton.ts';
import type { StringNode } from './grammar-nodes.ts';
import type { Frame, GrammarState, StepContext } from './grammar-state.ts';

/**
 * JSON strings byte by byte: escapes (`\" \\ \/ \b \f \n \r \t \uXXXX`, surrogate pairs only as pairs),
 * raw UTF-8 validated exactly (no overlongs, no surrogates, no raw control characters), length bounds and
 * an optional pattern automaton over the decoded characters. A prefix is only accepted when some
 * completion exists, so a multi-byte character or escape is never started if no character it can become
 * is allowed. Fields: a = length in UTF-16 units, b = length in code points, c = partial code point,
 * d = pattern state.
 */

const S_START = 0;
/** Between characters: the only phase where plain characters are bulk-accepted. */
export const S_IN = 1;
const S_ESCAPE = 2;
const S_HEX = 3; // S_HEX + k: k hex digits of \uXXXX read (k = 0..3)
const S_LOW_SLASH = 7; // a high surrogate escape was read; expect "\"
const S_LOW_U = 8;
const S_LOW_HEX = 9; // S_LOW_HEX + k
const S_CONT = 13; // S_CONT + n: n more continuation bytes (80..BF), n = 1..3
const S_CONT_E0 = 17; // 2 more, first in A0..BF
const S_CONT_ED = 18; // 2 more, first in 80..9F
const S_CONT_F0 = 19; // 3 more, first in 90..BF
const S_CONT_F4 = 20; // 3 more, first in 80..8F

const SIMPLE_ESCAPES = new Map<number, number>([
  [0x22, 0x22],
  [0x5c, 0x5c],
  [0x2f, 0x2f],
  [0x62, 0x08],
  [0x66, 0x0c],
  [0x6e, 0x0a],
  [0x72, 0x0d],
  [0x74, 0x09],
]);

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Whether some character in [lo, hi] (all needing `units` UTF-16 units) may come next. */
function canStart(frame: Frame, lo: number, hi: number, units: number): boolean {
  const node = frame.node as StringNode;
  if (frame.a + units > node.maxLength) return false;
  if (node.pattern === undefined) return true;
  return hi <= 0xffff && node.pattern.canStepInRange(frame.d, lo, hi);
}

/** Whether some non-surrogate BMP character, or a surrogate pair, in [lo, hi] may come next. */
function canStartEscaped(frame: Frame, lo: number, hi: number): boolean {
  const parts: [number, number][] = [
    [lo, Math.min(hi, 0xd7ff)],
    [Math.max(lo, 0xe000), hi],
  ];
  for (const [from, to] of parts) if (from <= to && canStart(frame, from, to, 1)) return true;
  const highFrom = Math.max(lo, 0xd800);
  const highTo = Math.min(hi, 0xdbff);
  return highFrom <= highTo && canStart(frame, 0x10000, 0x10ffff, 2);
}

function acceptChar(frame: Frame, code: number): Frame | undefined {
  const node = frame.node as StringNode;
  const units = frame.a + (code > 0xffff ? 2 : 1);
  if (units > node.maxLength) return undefined;
  let state = frame.d;
  if (node.pattern !== undefined) {
    if (code > 0xffff) return undefined;
    state = node.pattern.step(state, code);
    if (state === DEAD) return undefined;
    if (node.pattern.minRemaining(state) > node.maxLength - units) return undefined;
    if (node.pattern.maxRemaining(state) < node.minLength - frame.b - 1) return undefined;
  }
  return frame.with(S_IN, units, frame.b + 1, 0, state);
}

function closes(frame: Frame): boolean {
  const node = frame.node as StringNode;
  return frame.b >= node.minLength && (node.pattern === undefined || node.pattern.isAccepting(frame.d));
}

function leadByte(frame: Frame, byte: number): Frame | undefined {
  if (byte >= 0xc2 && byte <= 0xdf) {
    const bits = byte & 0x1f;
    return canStart(frame, bits << 6, (bits << 6) | 0x3f, 1)
      ? frame.with(S_CONT + 1, frame.a, frame.b, bits)
      : undefined;
  }
  if (byte >= 0xe0 && byte <= 0xef) {
    const bits = byte & 0x0f;
    const lo = byte === 0xe0 ? 0x800 : bits << 12;
    const hi = byte === 0xed ? 0xd7ff : (bits << 12) | 0xfff;
    if (!canStart(frame, lo, hi, 1)) return undefined;
    const phase = byte === 0xe0 ? S_CONT_E0 : byte === 0xed ? S_CONT_ED : S_CONT + 2;
    return frame.with(phase, frame.a, frame.b, bits);
  }
  if (byte >= 0xf0 && byte <= 0xf4) {
    const bits = byte & 0x07;
    const lo = byte === 0xf0 ? 0x10000 : bits << 18;
    const hi = byte === 0xf4 ? 0x10ffff : (bits << 18) | 0x3ffff;
    if (!canStart(frame, lo, hi, 2)) return undefined;
    const phase = byte === 0xf0 ? S_CONT_F0 : byte === 0xf4 ? S_CONT_F4 : S_CONT + 3;
    return frame.with(phase, frame.a, frame.b, bits);
  }
  return undefined;
}

function continuation(frame: Frame, byte: number): Frame | undefined {
  let remaining: number;
  let lo = 0x80;
  let hi = 0xbf;
  switch (frame.phase) {
    case S_CONT_E0:
      remaining = 2;
      lo = 0xa0;
      break;
    case S_CONT_ED:
      remaining = 2;
      hi = 0x9f;
      break;
    case S_CONT_F0:
      remaining = 3;
      lo = 0x90;
      break;
    case S_CONT_F4:
      remaining = 3;
      hi = 0x8f;
      break;
    default:
      remaining = frame.phase - S_CONT;
  }
  if (byte < lo || byte > hi) return undefined;
  const code = (frame.c << 6) | (byte & 0x3f);
  if (remaining === 1) return acceptChar(frame, code);
  const left = 6 * (remaining - 1);
  const from = code * 2 ** left;
  if (!canStart(frame, from, from + 2 ** left - 1, from > 0xffff ? 2 : 1)) return undefined;
  return frame.with(S_CONT + remaining - 1, frame.a, frame.b, code);
}

function hexDigit(frame: Frame, byte: number): Frame | undefined {
  const digit = hexValue(byte);
  if (digit < 0) return undefined;
  const low = frame.phase >= S_LOW_HEX;
  const k = frame.phase - (low ? S_LOW_HEX : S_HEX); // digits already read
  const high = low ? Math.floor(frame.c / 0x10000) : 0;
  const value = (frame.c % 0x10000) * 16 + digit;
  const scale = 16 ** (3 - k);
  const from = value * scale;
  const to = from + scale - 1;
  if (low) {
    if (to < 0xdc00 || from > 0xdfff) return undefined;
    if (k < 3) return frame.with(frame.phase + 1, frame.a, frame.b, high * 0x10000 + value);
    return acceptChar(frame, 0x10000 + ((high - 0xd800) << 10) + (value - 0xdc00));
  }
  if (k < 3) {
    return canStartEscaped(frame, from, to)
      ? frame.with(frame.phase + 1, frame.a, frame.b, value)
      : undefined;
  }
  if (value >= 0xdc00 && value <= 0xdfff) return undefined; // a lone low surrogate
  if (value >= 0xd800 && value <= 0xdbff) {
    return canStart(frame, 0x10000, 0x10ffff, 2)
      ? frame.with(S_LOW_SLASH, frame.a, frame.b, value * 0x10000)
      : undefined;
  }
  return acceptChar(frame, value);
}

/** Reads one byte of a string. */
export function stepString(frame: Frame, byte: number, ctx: StepContext): GrammarState | undefined {
  switch (frame.phase) {
    case S_START:
      return byte === 0x22 ? frame.with(S_IN) : undefined;
    case S_IN:
      if (byte === 0x22) return closes(frame) ? ctx.pop(frame) : undefined;
      if (byte === 0x5c) return canStartEscaped(frame, 0, 0xffff) ? frame.with(S_ESCAPE) : undefined;
      if (byte < 0x20) return undefined;
      if (byte < 0x80) return acceptChar(frame, byte);
      return leadByte(frame, byte);
    case S_ESCAPE: {
      if (byte === 0x75) return frame.with(S_HEX, frame.a, frame.b, 0);
      const code = SIMPLE_ESCAPES.get(byte);
      return code === undefined ? undefined : acceptChar(frame, code);
    }
    case S_LOW_SLASH:
      return byte === 0x5c ? frame.with(S_LOW_U) : undefined;
    case S_LOW_U:
      return byte === 0x75 ? frame.with(S_LOW_HEX) : undefined;
    default:
      if (frame.phase >= S_CONT) return continuation(frame, byte);
      return hexDigit(frame, byte);
  }
}

/** How many plain characters (UTF-16 units) the string can take right now; 0 when not in plain content. */
export function stringPlainRun(frame: Frame): number {
  const node = frame.node as StringNode;
  if (frame.phase !== S_IN || node.pattern !== undefined) return 0;
  return node.maxLength - frame.a;
}

/** Fingerprint of a string frame, with lengths reduced to what can still change a token mask. */
export function stringKey(frame: Frame, clip: number): string {
  const node = frame.node as StringNode;
  if (node.pattern !== undefined) {
    // Lengths only matter next to bounds (and then exactly: a pattern may need many more characters).
    const unbounded = node.minLength === 0 && node.maxLength === Number.POSITIVE_INFINITY;
    const lengths = unbounded ? '' : `${frame.a}.${frame.b}`;
    return `${node.id}.${frame.phase}.${lengths}.${frame.c}.${frame.d}`;
  }
  const room = Math.min(node.maxLength - frame.a, clip);
  const needed = Math.min(Math.max(node.minLength - frame.b, 0), clip);
  return `${node.id}.${frame.phase}.${room}.${needed}.${frame.c}`;
}
