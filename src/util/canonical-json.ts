import { sha256Hex } from './sha256-hex.ts';

/**
 * JSON with object keys sorted at every depth, so equal values always serialize to the same text.
 * `undefined` object members are dropped (as JSON.stringify does); non-finite numbers are rejected.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

/** SHA-256 (hex) of the canonical JSON of a value: the basis of every content hash in signet. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`canonicalJson: cannot encode non-finite number ${value}`);
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortDeep(member);
  }
  return out;
}
