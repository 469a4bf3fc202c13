import { type ApiKeyScope, hashSecret, parseApiKey, secretMatches } from './api-key.ts';
import type { ApiKeyStore } from './api-key-store.ts';

/** Who a verified key belongs to: safe to attach to a request and to log (no secret). */
export interface ApiKeyIdentity {
  /** The key's lookup prefix, used as its id (rate limits are keyed on it). */
  readonly prefix: string;
  /** The key's name. */
  readonly name: string;
  /** What the key may do. */
  readonly scopes: readonly ApiKeyScope[];
}

/** Why a presented key was refused. */
export type ApiKeyRefusal = 'malformed' | 'unknown' | 'revoked';

/** The outcome of checking a presented key. */
export type ApiKeyVerification =
  | { readonly ok: true; readonly identity: ApiKeyIdentity }
  | { readonly ok: false; readonly reason: ApiKeyRefusal };

// Compared against when the prefix is unknown, so unknown and wrong keys cost the same work.
const DECOY_HASH = hashSecret('signet-decoy-secret');

/** Checks a presented key against the store: format, prefix lookup, constant-time secret compare. */
export async function verifyApiKey(store: ApiKeyStore, presented: string): Promise<ApiKeyVerification> {
  const parsed = parseApiKey(presented);
  if (parsed === undefined) return { ok: false, reason: 'malformed' };
  const record = await store.findByPrefix(parsed.prefix);
  const matches = secretMatches(parsed.secret, record?.secretHash ?? DECOY_HASH);
  if (record === undefined || !matches) return { ok: false, reason: 'unknown' };
  if (record.revokedAt !== undefined) return { ok: false, reason: 'revoked' };
  return { ok: true, identity: { prefix: record.prefix, name: record.name, scopes: record.scopes } };
}
