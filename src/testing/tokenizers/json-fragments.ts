import type { SeededRandom } from '../tiny-models/seeded-random.ts';

/**
 * Seeded source of the text pieces that become tokens of generated tokenizers: JSON structure (`":"`,
 * `"}`, `],`, `{"`), keys with their quotes, words with and without a leading space, numbers with
 * exponents, escapes, whitespace runs and multi-byte UTF-8 — whole characters and, for byte-level
 * vocabularies, pieces of characters. Real tokenizers learn such pieces from JSON-heavy corpora; they
 * are what makes constrained decoding hard (one token crossing several grammar symbols). A fixed list
 * of such pieces comes first, so every vocabulary of a few thousand tokens has them.
 */
export interface FragmentSource {
  /** The next fragment as UTF-8 bytes (may be a partial character when `partialUtf8` is on). */
  next(): Uint8Array;
}

/** Options of {@link createFragmentSource}. */
export interface FragmentSourceOptions {
  /** Also produce pieces of multi-byte characters (byte-level BPE does; SentencePiece never does). */
  readonly partialUtf8: boolean;
}

const STRUCTURE = [
  '":"',
  '"}',
  '"]',
  '],',
  '{"',
  '"},{"',
  '": "',
  '", "',
  '":[',
  '":{"',
  '}]',
  '}}',
  ']}',
  ',"',
  '":-',
  '":0.',
  '"}\n',
  '{\n',
  '\n}',
  '": [\n',
  '":[]',
  '[]',
  '{}',
  '"],"',
  '}],"',
  '":true',
  '":false',
  '":null',
  ', ',
  ': ',
  '"',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '":"\\',
  '"\\"',
  '\\""',
  '"},',
  ']}\n',
  '"}]}',
  '":[{"',
  '":["',
];
const ESCAPES = [
  '\\"',
  '\\\\',
  '\\n',
  '\\/',
  '\\t',
  '\\r',
  '\\b',
  '\\f',
  '\\u00',
  '\\u00e9',
  '\\u',
  '\\ud83d',
  '\\ude00',
  '\\u20ac',
  '.\\n',
  '\\n\\n',
];
const KEYS = [
  'answer',
  'confidence',
  'name',
  'kind',
  'vendorName',
  'lineItems',
  'quantity',
  'label',
  'steps',
  'title',
  'score',
  'summary',
  'low',
  'lower',
  'relevant',
];
const WIDE = [
  ...'éüñçàößèêâîôûäëïÿœæøåαβγδεζηθλμπσωжизньмир€中文字符日本語한국어✓→…',
  '😀',
  '🚀',
  '👍',
  '🎉',
];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const encoder = new TextEncoder();
/** Emitted first, in order, so every generated vocabulary of a useful size has these tokens. */
const SEEDS = [
  ...STRUCTURE,
  ...ESCAPES,
  ' "',
  ' {',
  ' [',
  'e+',
  'e-',
  'E+',
  'E-',
  'er',
  'est',
  'true',
  'false',
  'null',
  ...KEYS.flatMap((key) => [`"${key}"`, `"${key}":`, key]),
];

/** Creates a fragment source driven by `random`. */
export function createFragmentSource(random: SeededRandom, options: FragmentSourceOptions): FragmentSource {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
  const chance = (p: number): boolean => random.next() < p;
  const word = (): string => {
    let text = '';
    const length = 1 + Math.floor(random.next() * random.next() * 12);
    for (let i = 0; i < length; i++) text += pick([...LETTERS]);
    return chance(0.15) ? text[0]?.toUpperCase() + text.slice(1) : text;
  };
  const digits = (): string => {
    let text = String(1 + Math.floor(random.next() * 9));
    const extra = Math.floor(random.next() * 3);
    for (let i = 0; i < extra; i++) text += String(Math.floor(random.next() * 10));
    return text;
  };
  const number = (): string =>
    pick([
      digits,
      () => `${digits()}.`,
      () => `.${digits()}`,
      () => `${digits()}e`,
      () => pick(['e+', 'e-', 'E+', 'E-', 'e', 'E']) + (chance(0.5) ? digits() : ''),
      () => `-${chance(0.5) ? '0.' : digits()}`,
      () => `0.${digits()}`,
      () => `${digits()},`,
      () => `${digits()}]`,
      () => `${digits()}}`,
    ])();
  const wide = (): string => {
    let text = chance(0.3) ? ' ' : '';
    const count = 1 + Math.floor(random.next() * 3);
    for (let i = 0; i < count; i++) text += pick(WIDE);
    return text;
  };
  const text = (): string => {
    const roll = random.next();
    if (roll < 0.12) return chance(0.7) ? pick(STRUCTURE) : pick(STRUCTURE) + pick(STRUCTURE);
    if (roll < 0.24) {
      const key = chance(0.5) ? pick(KEYS) : word();
      return pick([`"${key}`, `${key}"`, `"${key}":`, `"${key}": "`, `{"${key}":`, `,"${key}":`, `"${key}"`]);
    }
    if (roll < 0.6)
      return (chance(0.55) ? ' ' : '') + word() + (chance(0.1) ? pick([',', '.', '"', '",', '."']) : '');
    if (roll < 0.72) return number();
    if (roll < 0.77) return pick(ESCAPES) + (chance(0.3) ? word() : '');
    if (roll < 0.93) return wide();
    return pick(['  ', '    ', '\n', '\n  ', '\n    ', '\t', ' \n', '\n\n', '   ']);
  };
  let seeded = 0;
  return {
    next() {
      if (seeded < SEEDS.length) return encoder.encode(SEEDS[seeded++] as string);
      const bytes = encoder.encode(text());
      if (!options.partialUtf8 || bytes.length < 2 || !chance(0.15)) return bytes;
      // A piece of the encoding that may cut characters at either end (as byte-level BPE merges do).
      const from = Math.floor(random.next() * (bytes.length - 1));
      const to = from + 1 + Math.floor(random.next() * (bytes.length - from));
      return bytes.slice(from, to);
    },
  };
}
