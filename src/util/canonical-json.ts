import { sha256Hex } from './sha256-hex.ts';

/**
 * JSON with object keys sorted at every depth, so equal values always serialize to the same text.
 * `undefined` object members are dropped (as JSON.stringify does); non-finite numbers are rejected.
 * Written out directly, without a sorted copy of the value: it is on every cached run's path.
 */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

/** SHA-256 (hex) of the canonical JSON of a value: the basis of every content hash in signet. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** The canonical text of a value; undefined for what JSON leaves out (undefined, functions, symbols). */
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`canonicalJson: cannot encode non-finite number ${value}`);
      }
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value);
      // toJSON, as JSON.stringify: an invalid date is `null` (toISOString would throw).
      if (value instanceof Date) return JSON.stringify(value.toJSON());
      return writeObject(value as Record<string, unknown>);
    case 'bigint':
      throw new TypeError('canonicalJson: cannot encode a BigInt');
    default:
      return undefined;
  }
}

function writeArray(value: readonly unknown[]): string {
  let out = '';
  // By index, not map(): a hole of a sparse array is `null`, as in JSON.stringify.
  for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${write(value[i]) ?? 'null'}`;
  return `[${out}]`;
}

function writeObject(value: Record<string, unknown>): string {
  let out = '';
  for (const key of sortedKeys(value)) {
    const member = write(value[key]);
    if (member === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${member}`;
  }
  return `{${out}}`;
}

/**
 * Keys sorted as a sorted copy of the object lists them (the order hashes were first written in):
 * array-index keys ("0", "7", "12") first, in numeric order, as every JS object orders them; then the
 * others, sorted.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value).sort();
  if (!keys.some(isIndex)) return keys;
  const indexes = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isIndex(key))];
}

const isIndex = (key: string): boolean => {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
};
