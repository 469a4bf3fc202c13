import type { Command } from 'commander';
import { API_KEY_SCOPES, type ApiKeyScope, generateApiKey } from '../../server/auth/api-key.ts';
import type { ApiKeyStore } from '../../server/auth/api-key-store.ts';
import { createFileApiKeyStore, DEFAULT_KEYS_FILE } from '../../server/auth/file-api-key-store.ts';
import { type CliIo, formatTable } from '../cli-io.ts';

/** What the key commands need. */
export interface KeysCommandDeps {
  /** Output and diagnostics. */
  readonly io: CliIo;
  /** Opens the store at a path (default: the JSON file store). */
  readonly openStore?: (path: string) => ApiKeyStore;
  /** Key file used when `--file` is not given (default: SIGNET_KEYS_FILE, else `.signet/keys.json`). */
  readonly defaultFile?: string;
  /** Clock for `createdAt` (default: now). */
  readonly now?: () => Date;
}

/**
 * `signet keys create|list|revoke`: manage the server's API keys. `create` prints the key once on
 * stdout (notes go to stderr, so `KEY=$(signet keys create --name ci)` works); only its SHA-256 is
 * stored.
 */
export function registerKeysCommands(program: Command, deps: KeysCommandDeps): void {
  const open = deps.openStore ?? ((path: string) => createFileApiKeyStore({ path, refreshIntervalMs: 0 }));
  const fileOf = (command: Command): string =>
    (command.optsWithGlobals() as { file?: string }).file ??
    deps.defaultFile ??
    process.env.SIGNET_KEYS_FILE ??
    DEFAULT_KEYS_FILE;

  const group = program
    .command('keys')
    .description('manage API keys for the HTTP server')
    .option('--file <path>', `key file (default: $SIGNET_KEYS_FILE or ${DEFAULT_KEYS_FILE})`);

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
      await open(fileOf(command)).add({
        prefix: generated.prefix,
        name,
        scopes,
        createdAt: (deps.now?.() ?? new Date()).toISOString(),
        secretHash: generated.secretHash,
      });
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
      const records = await open(fileOf(command)).list();
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
      const revoked = await open(fileOf(command)).revoke(bare);
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
