import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SignetError } from '../../src/errors/signet-error.ts';
import type { OllamaLister } from '../../src/models/create-model-sources.ts';
import { formatRoleChoice, MODEL_TABLE_HEADERS, modelTableRow } from '../../src/models/format-models.ts';
import type { ModelListing, SourceFailure } from '../../src/models/model-catalog.ts';
import type { ModelInfo } from '../../src/models/model-info.ts';
import { type OpenedModelRegistry, openModelRegistry } from '../../src/models/open-model-registry.ts';
import { parseConfigJson } from '../../src/models/parse-config-layer.ts';
import { closestMatches } from '../../src/util/closest-matches.ts';
import { type CliIo, formatTable } from '../cli-io.ts';

/** What the model commands need, injected so they can be tested without a terminal or real providers. */
export interface ModelsCommandDeps {
  /** Loads the config and builds catalog and registry (e.g. `openModelRegistry`); called once per command. */
  readonly open: () => Promise<OpenedModelRegistry>;
  /** Where output (stdout) and warnings (stderr) go. */
  readonly io: CliIo;
  /** The user config file `profile use` writes `activeProfile` into (`config/user_models.json`). */
  readonly userConfigPath: string;
  /** How `userConfigPath` is shown in messages (default: as given). */
  readonly userConfigLabel?: string;
}

function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

function printModels(io: CliIo, models: readonly ModelInfo[]): void {
  io.out(formatTable(MODEL_TABLE_HEADERS, models.map(modelTableRow)));
}

function warnSources(io: CliIo, errors: readonly SourceFailure[]): void {
  for (const error of errors)
    io.err(
      `warning: source ${error.source} failed${error.stale ? ' (showing its last listing)' : ''}: ${error.message}`,
    );
}

async function readUserConfig(path: string, label: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const data = parseConfigJson(text, label);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new SignetError(
      'SIGNET_CONFIG_INVALID',
      `${label}: (root): expected object, received ${Array.isArray(data) ? 'array' : typeof data}`,
    );
  return data as Record<string, unknown>;
}

/** Writes JSON through a temporary file and a rename, so a crash never leaves half a config. */
async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

function listingJson(listing: ModelListing): unknown {
  return { models: listing.models, errors: listing.errors };
}

/**
 * Adds `signet models ...` to a commander 14 program: `list [--json] [--refresh]`, `search <query...>`,
 * `role <role> [--json]`, `profiles [--json]` and `profile use <name>`. Errors are thrown as SignetErrors
 * for the binary to print; nothing here calls `process.exit`.
 */
export function registerModelsCommands(program: Command, deps: ModelsCommandDeps): Command {
  const { io } = deps;
  const label = deps.userConfigLabel ?? deps.userConfigPath;
  const models = program
    .command('models')
    .description('List models, see which model each role uses, manage profiles');

  models
    .command('list')
    .description('List the models every source offers')
    .option('--json', 'print JSON')
    .option('--refresh', 'ignore the cached listing')
    .action(async (options: { json?: boolean; refresh?: boolean }) => {
      const { catalog } = await deps.open();
      const listing = options.refresh === true ? await catalog.refresh() : await catalog.list();
      if (options.json === true) return printJson(io, listingJson(listing));
      if (listing.models.length > 0) printModels(io, listing.models);
      else io.out('no models found');
      warnSources(io, listing.errors);
    });

  models
    .command('search')
    .description('Find models whose id, name, family or quantization contain every word')
    .argument('<query...>', 'words to look for')
    .option('--json', 'print JSON')
    .action(async (words: string[], options: { json?: boolean }) => {
      const { catalog } = await deps.open();
      const found = await catalog.search({ text: words.join(' ') });
      if (options.json === true) return printJson(io, found);
      if (found.length > 0) printModels(io, found);
      else io.out(`no model matches "${words.join(' ')}"`);
    });

  models
    .command('role')
    .description('Show the model chosen for a role and why each candidate was chosen or skipped')
    .argument('<role>', 'role name, e.g. planner')
    .option('--json', 'print JSON')
    .action(async (role: string, options: { json?: boolean }) => {
      const { registry } = await deps.open();
      const choice = await registry.role(role);
      if (options.json === true) return printJson(io, { ...choice, chosen: choice.chosen?.id ?? null });
      io.out(formatRoleChoice(choice));
    });

  models
    .command('profiles')
    .description('List profiles; * marks the active one')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { registry, config } = await deps.open();
      const profiles = registry.profiles();
      if (options.json === true) return printJson(io, { active: registry.activeProfile() ?? null, profiles });
      if (profiles.length === 0) io.out('no profiles configured');
      for (const profile of profiles) {
        const description = profile.description === undefined ? '' : ` - ${profile.description}`;
        io.out(`${profile.active ? '*' : ' '} ${profile.name}${description}`);
      }
      if (config.activeProfileFrom !== undefined) io.out(`active profile set by ${config.activeProfileFrom}`);
    });

  const profile = models.command('profile').description('Manage the active profile');
  profile
    .command('use')
    .description(`Make a profile the active one (writes activeProfile into ${label})`)
    .argument('<name>', 'profile name')
    .action(async (name: string) => {
      const { config } = await deps.open();
      if (!Object.hasOwn(config.profiles, name)) {
        const suggestions = closestMatches(name, Object.keys(config.profiles));
        const hint =
          suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
        throw new SignetError(
          'SIGNET_PROFILE_NOT_FOUND',
          `no profile named "${name}".${hint} Profiles: ${Object.keys(config.profiles).sort().join(', ') || 'none'}`,
          { details: { profile: name, suggestions } },
        );
      }
      const user = await readUserConfig(deps.userConfigPath, label);
      await writeJsonAtomic(deps.userConfigPath, { ...user, activeProfile: name });
      io.out(`active profile: ${name} (written to ${label})`);
      if (config.activeProfileFrom === 'SIGNET_PROFILE')
        io.err(`warning: SIGNET_PROFILE is set and overrides ${label} until it is unset`);
    });

  return models;
}

/** Options of {@link defaultModelsCommandDeps}. */
export interface DefaultModelsCommandOptions {
  /** Project root holding `config/` (default: the current directory). */
  readonly root?: string;
  /** Environment for `SIGNET_*` overrides and cloud keys (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Ollama lister (e.g. the Ollama provider's `listOllamaModels`); Ollama is not listed without it. */
  readonly listOllama?: OllamaLister;
}

/** Deps for the real binary: `<root>/config/models.json` + `user_models.json`, the process environment. */
export function defaultModelsCommandDeps(
  io: CliIo,
  options: DefaultModelsCommandOptions = {},
): ModelsCommandDeps {
  const root = resolve(options.root ?? process.cwd());
  const env = options.env ?? process.env;
  const configDir = join(root, 'config');
  return {
    io,
    open: () =>
      openModelRegistry({
        configDir,
        root,
        env,
        ...(options.listOllama === undefined ? {} : { listOllama: options.listOllama }),
      }),
    userConfigPath: join(configDir, 'user_models.json'),
    userConfigLabel: 'config/user_models.json',
  };
}
