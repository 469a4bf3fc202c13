import type { Command } from 'commander';
import { createCache } from '../../src/cache/index.ts';
import type { CliIo } from '../cli-io.ts';
import { DATA_DIR_HELP, withStore } from '../with-store.ts';

/** What the cache commands need. */
export interface CacheCommandDeps {
  readonly io: CliIo;
  /** Data directory used when `--data-dir` is not given (default: SIGNET_DATA_DIR, else `.signet`). */
  readonly defaultDataDir?: string;
}

/**
 * `signet cache stats|clear`: what the response cache of a data directory holds, and emptying it. Safe
 * while a server runs on the same directory (SQLite in WAL mode; a server's queued writes land after).
 */
export function registerCacheCommands(program: Command, deps: CacheCommandDeps): void {
  const withCache = <T>(
    command: Command,
    work: (cache: ReturnType<typeof createCache>, location: string) => Promise<T>,
  ): Promise<T> =>
    withStore(command, deps.defaultDataDir, (store) => work(createCache({ store }), store.location));

  const group = program
    .command('cache')
    .description('inspect or empty the response cache')
    .option('--data-dir <dir>', DATA_DIR_HELP);

  group
    .command('stats')
    .description('entries and bytes the response cache holds')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { entries, bytes, store } = await withCache(command, async (cache, location) => ({
        ...(await cache.size()),
        store: location,
      }));
      if (options.json === true) return deps.io.out(JSON.stringify({ store, entries, bytes }));
      deps.io.out(`store    ${store}\nentries  ${entries}\nbytes    ${bytes} (${formatBytes(bytes)})`);
    });

  group
    .command('clear')
    .description('remove every cached answer (API keys and other state are kept)')
    .action(async (_options: unknown, command: Command) => {
      const removed = await withCache(command, (cache) => cache.clear());
      deps.io.out(`removed ${removed} cached answer${removed === 1 ? '' : 's'}`);
    });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
