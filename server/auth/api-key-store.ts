import type { ApiKeyScope } from './api-key.ts';

/** What is stored about one API key. The secret itself is never stored, only its SHA-256. */
export interface ApiKeyRecord {
  /** Lookup prefix, the visible part of the key (`sk_signet_<prefix>_...`); also the key's id. */
  readonly prefix: string;
  /** Who or what the key is for. */
  readonly name: string;
  /** What the key may do. */
  readonly scopes: readonly ApiKeyScope[];
  /** When the key was created (ISO timestamp). */
  readonly createdAt: string;
  /** SHA-256 of the secret, hex. */
  readonly secretHash: string;
  /** When the key was revoked (ISO timestamp); revoked keys never authenticate. */
  readonly revokedAt?: string | undefined;
}

/**
 * Where API keys live. The JSON file store is the default; the interface is small so a SQLite or
 * Redis store can replace it without touching the server or the CLI.
 */
export interface ApiKeyStore {
  /** Adds a key record; a second record with the same prefix is rejected. */
  add(record: ApiKeyRecord): Promise<void>;
  /** Every record, revoked ones included, oldest first. */
  list(): Promise<readonly ApiKeyRecord[]>;
  /** The record with that prefix (revoked or not), or undefined. */
  findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined>;
  /** Marks the key revoked; false when no key has that prefix. */
  revoke(prefix: string): Promise<boolean>;
}

/** A store held in memory, for tests and for servers whose keys come from elsewhere. */
export function createMemoryApiKeyStore(initial: readonly ApiKeyRecord[] = []): ApiKeyStore {
  const records = new Map(initial.map((r) => [r.prefix, r]));
  return {
    add: async (record) => {
      if (records.has(record.prefix)) throw new Error(`an API key with prefix ${record.prefix} exists`);
      records.set(record.prefix, record);
    },
    list: async () => [...records.values()],
    findByPrefix: async (prefix) => records.get(prefix),
    revoke: async (prefix) => {
      const record = records.get(prefix);
      if (record === undefined) return false;
      records.set(prefix, { ...record, revokedAt: record.revokedAt ?? new Date().toISOString() });
      return true;
    },
  };
}
