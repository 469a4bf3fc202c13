/**
 * `npm start`: serves the signature catalog over HTTP on the providers this machine has.
 *
 * Environment: HOST (default 127.0.0.1), PORT (default 3000), SIGNET_AUTH (on|off; default on for
 * non-loopback hosts), SIGNET_KEYS_FILE (a keys file of older signets, moved into the store once;
 * default .signet/keys.json), SIGNET_RATE_LIMIT (requests per
 * minute per key or client, or `off`; default 600), SIGNET_DATA_DIR (the store, default .signet),
 * SIGNET_STORE_BUSY_TIMEOUT_MS (how long a store write waits for another process's lock, default 5000),
 * SIGNET_STORE_WRITES (inline|thread: where store writes run, default inline),
 * SIGNET_RUNS_RESUME (on|off: resume interrupted runs at start-up, default on), SIGNET_RUNS_CONCURRENCY
 * (default 4), SIGNET_RUNS_RETENTION_MS (ended runs kept, default 7 days), SIGNET_RUNS_LEASE_MS (default 30000),
 * SIGNET_CACHE (on|off: response cache, default on), SIGNET_CACHE_TTL_MS (default 24 h), SIGNET_CACHE_MAX_MB
 * (default 256), SIGNET_SEMANTIC_CACHE_MODEL (an encoder folder or
 * <deployment>:<embedding model>: turns the semantic cache on), SIGNET_SEMANTIC_CACHE_THRESHOLD (default
 * 0.92), SIGNET_SEMANTIC_CACHE_SIGNATURES (names or `*` that use it by default), SIGNET_METRICS_PORT (serve
 * /metrics on its own port), LOG_LEVEL (default info), and the model registry's SIGNET_PROFILE /
 * SIGNET_MODEL_<ROLE> (config/models.json + config/user_models.json, as `signet models` reads them).
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinPipelines } from '../programs/index.ts';
import { createCatalogRegistry } from '../signatures/index.ts';
import { type CacheEvent, createCache } from '../src/cache/index.ts';
import { openModelRegistry } from '../src/models/open-model-registry.ts';
import { listOllamaModels } from '../src/providers/ollama/index.ts';
import { createRouter } from '../src/router/index.ts';
import { discoverDeployments } from '../src/runtime/index.ts';
import { DEFAULT_DATA_DIR, openSqliteStore } from '../src/store/index.ts';
import { buildApp, type SignetApp } from './app.ts';
import { LEGACY_KEYS_FILE, migrateKeysFile } from './auth/migrate-keys-file.ts';
import { resolveAuthMode } from './auth/resolve-auth-mode.ts';
import { createStoreApiKeyStore } from './auth/store-api-key-store.ts';
import { ADD_PROVIDER_HINT } from './execution/resolve-provider.ts';
import { createCatalogSnapshot } from './providers/catalog-snapshot.ts';
import { createProviderResolver } from './providers/create-provider-resolver.ts';
import { createRouterResolver } from './providers/create-router-resolver.ts';
import { describeRoles } from './providers/describe-roles.ts';
import type { ServedPipeline } from './runs/pipeline-catalog.ts';
import { runsSettingsFromEnv } from './runs/runs-settings-from-env.ts';
import { semanticCacheFromEnv } from './semantic-cache-from-env.ts';
import { installShutdown } from './shutdown.ts';

/** Start-up settings read from the environment. */
export interface StartOptions {
  /** Install SIGTERM/SIGINT handlers for graceful shutdown (default true). */
  readonly handleSignals?: boolean;
  /** Project root holding `config/` (model roles and profiles) and `models/` (ONNX folders); default the working directory. */
  readonly root?: string;
}

/** How long a catalog listing (ONNX folders, Ollama, cloud models) may take before it is given up. */
const CATALOG_TIMEOUT_MS = 10_000;
/** Floor of the background catalog refresh, for a configured TTL of 0 (no caching). */
const MIN_CATALOG_REFRESH_MS = 30_000;

/** Builds the app from the environment, logs what it found, and listens. */
export async function startServer(
  env: Readonly<Record<string, string | undefined>>,
  options: StartOptions = {},
): Promise<SignetApp> {
  const host = env.HOST ?? '127.0.0.1';
  const port = parsePort(env.PORT ?? '3000', 'PORT');
  const metricsPort =
    env.SIGNET_METRICS_PORT === undefined
      ? undefined
      : parsePort(env.SIGNET_METRICS_PORT, 'SIGNET_METRICS_PORT');
  const auth = resolveAuthMode(host, env);
  const runs = runsSettingsFromEnv(env);

  const root = resolve(options.root ?? process.cwd());

  const signatures = createCatalogRegistry();
  // The model registry maps roles (planner, critic...) to models; a bad config file stops start-up here,
  // before any model is loaded. Ollama's models are listed only once discovery found it running.
  let ollamaRunning = false;
  const opened = await openModelRegistry({
    configDir: join(root, 'config'),
    root,
    env,
    listOllama: async (signal, ollamaHost) =>
      ollamaRunning
        ? listOllamaModels({
            signal,
            details: true,
            ...(ollamaHost === undefined ? {} : { host: ollamaHost }),
          })
        : [],
  });
  // Local ONNX first (in-process, private), then Ollama, then cloud models whose keys are set; the
  // router owns retries, breakers and fallback between them. With none, executions answer 503.
  // Problems found before the logger exists (catalog listings, local engine warnings) wait for it.
  const pending: string[] = [];
  let warn: (message: string) => void = (message) => {
    pending.push(message);
  };
  const discovered = await discoverDeployments({
    env,
    root,
    onEngineWarning: (warning) => warn(`local onnx ${warning.code}: ${warning.message}`),
  });
  ollamaRunning = discovered.deployments.some((d) => d.id === 'ollama');
  // Role selection reads the catalog's models from a snapshot listed again every TTL, so a model pulled
  // or added while serving becomes choosable.
  const catalog =
    discovered.deployments.length === 0
      ? undefined
      : createCatalogSnapshot(opened.catalog, {
          intervalMs: Math.max(opened.config.cacheTtlMs, MIN_CATALOG_REFRESH_MS),
          timeoutMs: CATALOG_TIMEOUT_MS,
          onProblem: (message) => warn(`models ${message}`),
        });
  await catalog?.refresh();
  const providers =
    catalog === undefined
      ? createProviderResolver([])
      : createRouterResolver(createRouter({ deployments: discovered.deployments }), discovered.deployments, {
          registry: opened.registry,
          models: catalog.models,
        });

  // The embedded store (one SQLite file): a file that cannot be used stops start-up here, named.
  const store = openSqliteStore({
    dataDir: env.SIGNET_DATA_DIR ?? join(root, DEFAULT_DATA_DIR),
    writes: parseStoreWrites(env.SIGNET_STORE_WRITES),
    ...(env.SIGNET_STORE_BUSY_TIMEOUT_MS === undefined
      ? {}
      : { busyTimeoutMs: parseMs(env.SIGNET_STORE_BUSY_TIMEOUT_MS, 'SIGNET_STORE_BUSY_TIMEOUT_MS') }),
  });
  const keys = createStoreApiKeyStore(store);
  // Keys created before the store existed move into it once (the old file is renamed).
  const keysFile = resolve(root, env.SIGNET_KEYS_FILE ?? LEGACY_KEYS_FILE);
  const migrated = await migrateKeysFile(keysFile, keys).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const cacheOn = parseSwitch(env.SIGNET_CACHE, 'SIGNET_CACHE');
  const semantic = cacheOn
    ? await semanticCacheFromEnv({ env, root, store, deployments: discovered.deployments }).catch(
        async (error: unknown) => {
          await Promise.allSettled([store.close(), discovered.close()]);
          throw error;
        },
      )
    : undefined;
  if (semantic !== undefined && semantic.signatures !== '*') {
    const unknown = [...semantic.signatures].filter((name) => !signatures.has(name));
    if (unknown.length > 0) {
      await Promise.allSettled([semantic.close(), store.close(), discovered.close()]);
      throw new Error(
        `SIGNET_SEMANTIC_CACHE_SIGNATURES names unknown signatures: ${unknown.join(', ')} (GET /api/v1/signatures lists them)`,
      );
    }
  }
  const cache = cacheOn
    ? createCache({
        store,
        ...cacheBoundsFromEnv(env),
        ...(semantic === undefined ? {} : { semantic: semantic.matcher }),
      })
    : undefined;
  const app = await buildApp({
    signatures,
    providers,
    ...(cache === undefined ? {} : { cache }),
    ...(semantic === undefined ? {} : { semanticSignatures: semantic.signatures }),
    auth: auth.mode === 'on' ? { mode: 'on', keys } : { mode: 'off' },
    logger: { level: env.LOG_LEVEL ?? 'info' },
    rateLimit: parseRateLimit(env.SIGNET_RATE_LIMIT) ?? {},
    metrics: metricsPort === undefined ? {} : { separatePort: metricsPort },
    runs: { ...runs, store, pipelines: builtinPipelines as unknown as readonly ServedPipeline[] },
  });
  for (const note of discovered.notes) app.log.info(`provider ${note}`);
  for (const message of pending) app.log.warn(message);
  warn = (message) => {
    app.log.warn(message);
  };
  cache?.observe(warnOnce(app.log, store.location));
  if (catalog !== undefined) {
    app.log.info(
      `roles ${describeRoles(providers.roles?.() ?? [])} (profile ${opened.registry.activeProfile() ?? 'none'})`,
    );
  }
  app.addHook('onClose', async () => {
    catalog?.close();
    await discovered.close();
    await cache?.flush();
    await semantic?.close();
    await store.close();
  });
  app.log.info(
    { store: store.location, cache: cacheOn ? 'on' : 'off', semanticCache: semantic?.description ?? 'off' },
    'store',
  );
  if (migrated !== undefined) {
    app.log.info(
      { from: migrated.from, movedTo: migrated.movedTo, store: store.location },
      `moved ${migrated.added} of ${migrated.found} API key(s) from ${migrated.from} into the store; the old file is now ${migrated.movedTo}`,
    );
  }
  app.log.info(
    {
      signatures: signatures.size,
      models: providers.list().map((m) => m.id),
      auth: auth.mode,
    },
    auth.reason,
  );
  if (providers.list().length === 0) app.log.warn(`no model provider is configured. ${ADD_PROVIDER_HINT}`);
  if (options.handleSignals !== false) installShutdown(app);
  await app.listen({ host, port });
  return app;
}

/**
 * Logs the first failure of each kind (lookup, write, embed) with the store and the fix; later ones are
 * only counted (`signet_cache_errors_total`), so a full disk does not flood the log.
 */
function warnOnce(log: SignetApp['log'], location: string): (event: CacheEvent) => void {
  const seen = new Set<string>();
  return (event) => {
    if (event.type !== 'error' || seen.has(event.during)) return;
    seen.add(event.during);
    log.warn(
      { err: event.error, store: location },
      `cache ${event.during} failed; executions go on without the cache (check the disk and ${location}); further failures are counted in signet_cache_errors_total`,
    );
  };
}

/** `SIGNET_RATE_LIMIT`: requests per minute per API key (or client address), or `off`; default 600. */
function parseRateLimit(value: string | undefined): { max: number } | false | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (text === 'off') return false;
  const max = Number(text);
  if (!Number.isInteger(max) || max < 1) {
    throw new Error(
      `SIGNET_RATE_LIMIT must be a whole number of requests per minute, or "off" (got "${value}")`,
    );
  }
  return { max };
}

/** SIGNET_STORE_WRITES: where the store's writes run (docs/cache.md, "Where writes run"). */
function parseStoreWrites(value: string | undefined): 'inline' | 'thread' {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'inline') return 'inline';
  if (text === 'thread') return 'thread';
  throw new Error(`SIGNET_STORE_WRITES must be "inline" or "thread" (got "${value}")`);
}

/** An on/off switch from the environment; default on. */
function parseSwitch(value: string | undefined, name: string): boolean {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'on') return true;
  if (text === 'off') return false;
  throw new Error(`${name} must be "on" or "off" (got "${value}")`);
}

/** SIGNET_CACHE_TTL_MS and SIGNET_CACHE_MAX_MB: how long answers stay, and the byte budget past which the oldest go. */
function cacheBoundsFromEnv(env: NodeJS.ProcessEnv): { ttlMs?: number; maxBytes?: number } {
  const bounds: { ttlMs?: number; maxBytes?: number } = {};
  if (env.SIGNET_CACHE_TTL_MS !== undefined) {
    bounds.ttlMs = parseMs(env.SIGNET_CACHE_TTL_MS, 'SIGNET_CACHE_TTL_MS');
    if (bounds.ttlMs === 0)
      throw new Error('SIGNET_CACHE_TTL_MS must be above 0 (SIGNET_CACHE=off turns the cache off)');
  }
  if (env.SIGNET_CACHE_MAX_MB !== undefined) {
    const mb = Number(env.SIGNET_CACHE_MAX_MB);
    if (!(Number.isFinite(mb) && mb > 0)) {
      throw new Error(
        `SIGNET_CACHE_MAX_MB must be a positive number of megabytes (got "${env.SIGNET_CACHE_MAX_MB}")`,
      );
    }
    bounds.maxBytes = Math.round(mb * 1024 * 1024);
  }
  return bounds;
}

function parseMs(value: string, name: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) {
    throw new Error(`${name} must be a whole number of milliseconds (got "${value}")`);
  }
  return ms;
}

function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number between 0 and 65535 (got "${value}")`);
  }
  return port;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await startServer(process.env);
}
