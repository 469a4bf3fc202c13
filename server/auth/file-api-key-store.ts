import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { API_KEY_SCOPES } from './api-key.ts';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.ts';

/** Default location of the key file, relative to the working directory. */
export const DEFAULT_KEYS_FILE = '.signet/keys.json';

/** Options of the JSON file store. */
export interface FileApiKeyStoreOptions {
  /** Path of the JSON file (default `.signet/keys.json`). */
  readonly path?: string;
  /**
   * How long a read of the file is trusted before its modification time is checked again, in ms
   * (default 1000). Keys created or revoked by the CLI are seen by a running server after this delay.
   */
  readonly refreshIntervalMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

const fileSchema = z.object({
  format: z.literal('signet.keys/v1'),
  keys: z.array(
    z.object({
      prefix: z.string(),
      name: z.string(),
      scopes: z.array(z.enum(API_KEY_SCOPES as ['execute', 'admin'])),
      createdAt: z.string(),
      secretHash: z.string(),
      revokedAt: z.string().optional(),
    }),
  ),
});

/**
 * Keys in a JSON file: `{ format: 'signet.keys/v1', keys: [...] }`. Writes go to a temporary file in
 * the same folder (mode 0600) that is then renamed over the old one, so readers never see half a file.
 * Two processes writing at the same moment can lose one write: create keys from one place at a time.
 */
export function createFileApiKeyStore(options: FileApiKeyStoreOptions = {}): ApiKeyStore {
  const path = options.path ?? DEFAULT_KEYS_FILE;
  const refreshMs = options.refreshIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  let cache: { records: ApiKeyRecord[]; mtimeMs: number; checkedAt: number } | undefined;

  const load = async (): Promise<ApiKeyRecord[]> => {
    if (cache !== undefined && now() - cache.checkedAt < refreshMs) return cache.records;
    let mtimeMs = -1;
    try {
      mtimeMs = (await stat(path)).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (cache !== undefined && cache.mtimeMs === mtimeMs) {
      cache.checkedAt = now();
      return cache.records;
    }
    const records = mtimeMs < 0 ? [] : parse(await readFile(path, 'utf8'), path);
    cache = { records, mtimeMs, checkedAt: now() };
    return records;
  };

  const save = async (records: ApiKeyRecord[]): Promise<void> => {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const body = `${JSON.stringify({ format: 'signet.keys/v1', keys: records }, null, 2)}\n`;
    try {
      await writeFile(temporary, body, { mode: 0o600, flag: 'wx' });
      await chmod(temporary, 0o600); // the umask may have cleared bits; make the mode exact
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    cache = undefined;
  };

  const fresh = async (): Promise<ApiKeyRecord[]> => {
    cache = undefined; // writes always start from the file on disk
    return [...(await load())];
  };

  return {
    add: async (record) => {
      const records = await fresh();
      if (records.some((r) => r.prefix === record.prefix)) {
        throw new Error(`an API key with prefix ${record.prefix} already exists`);
      }
      await save([...records, record]);
    },
    list: async () => [...(await load())],
    findByPrefix: async (prefix) => (await load()).find((r) => r.prefix === prefix),
    revoke: async (prefix) => {
      const records = await fresh();
      const index = records.findIndex((r) => r.prefix === prefix);
      const record = records[index];
      if (record === undefined) return false;
      records[index] = { ...record, revokedAt: record.revokedAt ?? new Date(now()).toISOString() };
      await save(records);
      return true;
    },
  };
}

function parse(text: string, path: string): ApiKeyRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`API key file ${path} is not valid JSON; restore it or delete it and create new keys`);
  }
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`API key file ${path} does not have the signet.keys/v1 shape: ${result.error.message}`);
  }
  return result.data.keys;
}
