import type { Command } from 'commander';
import { API_KEY_SCOPES, type ApiKeyScope, generateApiKey } from '../../server/auth/api-key.ts';
import type { ApiKeyStore } from '../../server/auth/api-key-store.ts';
import { LEGACY_KEYS_FILE, migrateKeysFile } from '../../server/auth/migrate-keys-file.ts';
import { createStoreApiKeyStore } from '../../server/auth/store-api-key-store.ts';
import { type CliIo, formatTable } from '../cli-io.ts';
import { DATA_DIR_HELP, withStore } from '../with-store.ts';

/** What the key commands need. */
export interface KeysCommandDeps {
  /** Output and diagnostics. */
  readonly io: CliIo;
  /** Data directory used when `--data-dir` is not given (default: SIGNET_DATA_DIR, else `.signet`). */
  readonly defaultDataDir?: string;
  /** Keys file of older signets to move into the store first (default: SIGNET_KEYS_FILE, else `.signet/keys.json`). */
  readonly legacyFile?: string;
  /** Clock for `createdAt` (default: now). */
  readonly now?: () => Date;
}

/**
 * `signet keys create|list|revoke`: manage the server's API keys, kept in signet's store (the SQLite
 * file under the data directory; a running server on it sees changes on its next request). `create`
 * prints the key once on stdout (notes go to stderr, so `KEY=$(signet keys create --name ci)` works);
 * only its SHA-256 is stored.
 */
export function registerKeysCommands(program: Command, deps: KeysCommandDeps): void {
  /** Opens the store, moves an old keys file into it, runs `work`, and closes the store. */
  const withKeys = <T>(command: Command, work: (keys: ApiKeyStore) => Promise<T>): Promise<T> =>
    withStore(command, deps.defaultDataDir, async (store) => {
      const keys = createStoreApiKeyStore(store);
      const legacy = deps.legacyFile ?? process.env.SIGNET_KEYS_FILE ?? LEGACY_KEYS_FILE;
      const migrated = await migrateKeysFile(legacy, keys);
      if (migrated !== undefined) {
        deps.io.err(
          `moved ${migrated.added} of ${migrated.found} API key(s) from ${migrated.from} into ${store.location}; the old file is now ${migrated.movedTo}`,
        );
      }
      return work(keys);
    });

  const group = program
    .command('keys')
    .description('manage API keys for the HTTP server')
    .option('--data-dir <dir>', DATA_DIR_HELP);

  group
    .command('create')
    .description('create a key and print it once')
    .requiredOption('--name <name>', 'who or what the key is for')
    .option('--scopes <scopes>', `comma-separated scopes: ${API_KEY_SCOPES.join(', ')}`, 'execute')
    .action(async (options: { name: string; scopes: string }, command: Command) => {
      const scopes = parseScopes(options.scopes, command);
      const name = options.name.trim();
      if (name === '') command.error('error: --name must not be empty', { exitCode: 2 });
      const generated = generateApiKey();
      await withKeys(command, (keys) =>
        keys.add({
          prefix: generated.prefix,
          name,
          scopes,
          createdAt: (deps.now?.() ?? new Date()).toISOString(),
          secretHash: generated.secretHash,
        }),
      );
      deps.io.out(generated.key);
      deps.io.err(
        `created key "${name}" (prefix ${generated.prefix}, scopes ${scopes.join(',')}); ` +
          'store it now: it cannot be shown again',
      );
    });

  group
    .command('list')
    .description('list keys (prefixes, names, scopes; never secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const records = await withKeys(command, (keys) => keys.list());
      const rows = records.map((r) => ({
        prefix: r.prefix,
        name: r.name,
        scopes: r.scopes,
        createdAt: r.createdAt,
        ...(r.revokedAt === undefined ? {} : { revokedAt: r.revokedAt }),
      }));
      if (options.json === true) return deps.io.out(JSON.stringify(rows, null, 2));
      if (rows.length === 0)
        return deps.io.out('no API keys yet; create one with `signet keys create --name <name>`');
      deps.io.out(
        formatTable(
          ['prefix', 'name', 'scopes', 'created', 'status'],
          rows.map((r) => [
            r.prefix,
            r.name,
            r.scopes.join(','),
            r.createdAt,
            r.revokedAt === undefined ? 'active' : `revoked ${r.revokedAt}`,
          ]),
        ),
      );
    });

  group
    .command('revoke <prefix>')
    .description('revoke a key by its prefix (the 12 hex characters after sk_signet_)')
    .action(async (prefix: string, _options: unknown, command: Command) => {
      const bare = prefix.replace(/^sk_signet_/, '').split('_')[0] ?? prefix;
      const revoked = await withKeys(command, (keys) => keys.revoke(bare));
      if (!revoked)
        command.error(`error: no API key has prefix "${bare}" (see \`signet keys list\`)`, { exitCode: 1 });
      deps.io.out(`revoked key ${bare}`);
    });
}

function parseScopes(value: string, command: Command): ApiKeyScope[] {
  const scopes = [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    command.error(`error: --scopes must list ${API_KEY_SCOPES.join(' and/or ')} (got "${value}")`, {
      exitCode: 2,
    });
  }
  return scopes as ApiKeyScope[];
}
