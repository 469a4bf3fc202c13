import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import { API_KEY_SCOPES } from './api-key.ts';
import type { ApiKeyStore } from './api-key-store.ts';

/** Where keys lived before they moved into the store, relative to the working directory. */
export const LEGACY_KEYS_FILE = '.signet/keys.json';

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

/** What a migration did. */
export interface KeysFileMigration {
  /** The file the keys were read from. */
  readonly from: string;
  /** Keys added to the store (those already there are left as they are). */
  readonly added: number;
  /** Keys the file held. */
  readonly found: number;
  /** Where the old file was moved (`<file>.migrated`). */
  readonly movedTo: string;
}

/**
 * Moves the keys of a `signet.keys/v1` JSON file (the key store before signet had a store) into
 * `keys`, once: the file is renamed to `<file>.migrated` afterwards, so it is never read again. No
 * file: nothing to do (undefined). A file that cannot be parsed fails with what to do about it.
 */
export async function migrateKeysFile(
  file: string,
  keys: ApiKeyStore,
): Promise<KeysFileMigration | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const records = parse(text, file);
  let added = 0;
  for (const record of records) {
    if ((await keys.findByPrefix(record.prefix)) !== undefined) continue;
    try {
      await keys.add(record);
      added++;
    } catch (error) {
      // Another process migrating the same file at the same moment added it first.
      if ((await keys.findByPrefix(record.prefix)) === undefined) throw error;
    }
  }
  const movedTo = `${file}.migrated`;
  try {
    await rename(file, movedTo);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // moved by that other process
  }
  return { from: file, added, found: records.length, movedTo };
}

function parse(text: string, file: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      `API key file ${file} is not valid JSON, so its keys cannot be moved into the store; restore it, or delete it and create new keys with \`signet keys create\``,
    );
  }
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    throw new Error(
      `API key file ${file} does not have the signet.keys/v1 shape (${result.error.message}); restore it, or delete it and create new keys`,
    );
  }
  return result.data.keys;
}
