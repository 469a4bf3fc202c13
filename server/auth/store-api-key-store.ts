import type { Store } from '../../src/store/store.ts';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.ts';

/** Namespace of API key records in the store. */
export const API_KEYS_NAMESPACE = 'api-keys';

/**
 * API keys in signet's store (the embedded SQLite file by default), one entry per key under its prefix.
 * Every lookup reads the store, so keys created or revoked by `signet keys` (another process) count
 * on the next request, and several servers on one store share them.
 */
export function createStoreApiKeyStore(store: Store): ApiKeyStore {
  const read = async (prefix: string): Promise<ApiKeyRecord | undefined> => {
    const entry = await store.get(API_KEYS_NAMESPACE, prefix);
    return entry === undefined ? undefined : (JSON.parse(entry.value) as ApiKeyRecord);
  };
  const write = (record: ApiKeyRecord) =>
    store.set(API_KEYS_NAMESPACE, record.prefix, JSON.stringify(record));
  return {
    async add(record) {
      if ((await read(record.prefix)) !== undefined) {
        throw new Error(`an API key with prefix ${record.prefix} already exists`);
      }
      await write(record);
    },
    async list() {
      const records: ApiKeyRecord[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.scan(API_KEYS_NAMESPACE, { after, limit: 500 });
        for (const entry of page) records.push(JSON.parse(entry.value) as ApiKeyRecord);
        const last = page.at(-1);
        if (last === undefined || page.length < 500) break;
        after = last.key;
      }
      return records.sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.prefix.localeCompare(b.prefix),
      );
    },
    findByPrefix: read,
    async revoke(prefix) {
      const record = await read(prefix);
      if (record === undefined) return false;
      if (record.revokedAt === undefined) await write({ ...record, revokedAt: new Date().toISOString() });
      return true;
    },
  };
}
