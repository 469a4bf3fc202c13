import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an API key allows: `execute` runs programs and reads catalogs; `admin` also changes them. */
export type ApiKeyScope = 'execute' | 'admin';

/** Every scope, in a stable order. */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['execute', 'admin'];

/** A freshly generated key: the full secret (shown once) and what may be stored. */
export interface GeneratedApiKey {
  /** The whole key, `sk_signet_<prefix>_<secret>`; never stored, shown to the user once. */
  readonly key: string;
  /** The visible lookup prefix (12 hex characters). */
  readonly prefix: string;
  /** SHA-256 of the secret part, hex. */
  readonly secretHash: string;
}

/** The parts of a presented key. */
export interface ParsedApiKey {
  /** Lookup prefix. */
  readonly prefix: string;
  /** Secret part (base64url). */
  readonly secret: string;
}

const KEY_PATTERN = /^sk_signet_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Creates a key with a 48-bit lookup prefix and a 256-bit secret. */
export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `sk_signet_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

/** Splits a key into prefix and secret; undefined when it does not have signet's format. */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(key);
  if (match === null) return undefined;
  return { prefix: match[1] as string, secret: match[2] as string };
}

/** SHA-256 (hex) of a secret: the only form in which secrets are stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored hash in constant time (equal-length digests). */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  if (stored.length !== presented.length) return false;
  return timingSafeEqual(presented, stored);
}
