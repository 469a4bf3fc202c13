import type { Command } from 'commander';
import { DEFAULT_DATA_DIR, openSqliteStore, type Store } from '../src/store/index.ts';

/** Help text of the `--data-dir` option of commands that open the store. */
export const DATA_DIR_HELP = `store folder (default: $SIGNET_DATA_DIR or ${DEFAULT_DATA_DIR})`;

/**
 * Opens the store of the command's data directory (`--data-dir`, else `fallback`, else
 * `SIGNET_DATA_DIR`, else `.signet`), runs `work` on it and closes it.
 */
export async function withStore<T>(
  command: Command,
  fallback: string | undefined,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const dataDir =
    (command.optsWithGlobals() as { dataDir?: string }).dataDir ??
    fallback ??
    process.env.SIGNET_DATA_DIR ??
    DEFAULT_DATA_DIR;
  const store = openSqliteStore({ dataDir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
