import type { ResponseCache, SignatureRegistry } from '../src/index.ts';
import type { AuthOptions } from './auth/install-auth.ts';
import type { LoadSheddingOptions, RateLimitOptions } from './http/install-limits.ts';
import type { MetricsOptions } from './metrics/install-metrics.ts';
import type { ProviderResolver } from './provider-resolver.ts';
import type { RunsOptions } from './runs/install-runs.ts';

/** Logging settings. Fastify logs with pino, one JSON line per event. */
export interface LoggerOptions {
  /** pino level (`fatal`...`trace`; default `info`). */
  readonly level?: string;
  /** Where lines go (default stdout); tests pass a collector. */
  readonly stream?: { write(line: string): void };
  /**
   * Redact request bodies and prompt-bearing fields (`inputs`, `messages`, `prompt`, `outputs`) when they
   * appear in a log object (default true). `authorization`, `x-api-key` and cookie headers are always
   * redacted.
   */
  readonly redactPrompts?: boolean;
}

/** Everything `buildApp` needs; only `signatures` and `providers` are required. */
export interface BuildAppOptions {
  /** Signatures the server runs and lists; `POST /api/v1/dspy/signatures` adds to it. */
  readonly signatures: SignatureRegistry;
  /** Picks providers per request, lists models, reports deployment health. */
  readonly providers: ProviderResolver;
  /** API-key authentication (default off; start-up turns it on for non-loopback hosts). */
  readonly auth?: AuthOptions;
  /** Per-key (else per-address) rate limit, or `false` (default 600 requests per minute). */
  readonly rateLimit?: RateLimitOptions | false;
  /** Load shedding under event-loop or memory pressure, or `false` (default: event-loop delay > 1 s). */
  readonly loadShedding?: LoadSheddingOptions | false;
  /** Largest accepted request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Time allowed to receive a whole request, in ms (Fastify's `requestTimeout`; default 30000). */
  readonly requestTimeoutMs?: number;
  /** Longest an execution may run, and the default deadline, in ms (default 120000). */
  readonly executionTimeoutMs?: number;
  /**
   * Exact response cache of executions (`createCache()`); absent: none. Non-streamed executions use it,
   * by default at temperature 0; a request sets `config.cache` (`off`, `read`, `write`, `on`).
   */
  readonly cache?: ResponseCache | undefined;
  /**
   * Signatures (by name, or `*` for all) whose executions also use the semantic cache unless a request
   * sets `config.semanticCache`; needs a cache created with `semantic`. Default: none (requests opt in).
   */
  readonly semanticSignatures?: ReadonlySet<string> | '*' | undefined;
  /**
   * The durable runs API (`/api/v1/dspy/runs`, `/api/v1/dspy/pipelines`): a store and the pipelines it
   * runs; absent: not served. `npm start` serves it on the embedded store with `programs/`' pipelines.
   */
  readonly runs?: RunsOptions | undefined;
  /** Logging, or `false` for none (default: info level on stdout). */
  readonly logger?: LoggerOptions | false;
  /** Metrics (default: enabled, served at `/metrics` on the API port). */
  readonly metrics?: MetricsOptions;
  /**
   * Trust `X-Forwarded-*` from these proxies (Fastify's `trustProxy`), so the rate limit and logs see
   * the client's address behind a load balancer (default false).
   */
  readonly trustProxy?: boolean | string | string[];
  /** Serve `/openapi.json` and the `/docs` page (default true). */
  readonly docs?: boolean;
  /** Version reported in OpenAPI and `signet_build_info` (default 0.1.0). */
  readonly version?: string;
}

/** Defaults applied by `buildApp`. */
export const APP_DEFAULTS = {
  bodyLimit: 1024 * 1024,
  requestTimeoutMs: 30_000,
  executionTimeoutMs: 120_000,
  version: '0.1.0',
} as const;

/** The pino redaction paths for a logger configuration. */
export function redactPaths(redactPrompts: boolean): string[] {
  const secrets = [
    'req.headers.authorization',
    'req.headers["x-api-key"]',
    'req.headers.cookie',
    'headers.authorization',
    'headers["x-api-key"]',
  ];
  if (!redactPrompts) return secrets;
  const prompts = ['body', 'inputs', 'outputs', 'messages', 'prompt'];
  return [...secrets, 'req.body', ...prompts, ...prompts.map((field) => `*.${field}`)];
}
