import fastifyRateLimit from '@fastify/rate-limit';
import fastifyUnderPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { SignetError } from '../../src/index.ts';

/** Per-client request limits. Keyed on the API key when one authenticated, else on the client address. */
export interface RateLimitOptions {
  /** Requests allowed per window (default 600). */
  readonly max?: number;
  /** Window length in ms (default 60000). */
  readonly timeWindowMs?: number;
}

/**
 * Load shedding: new requests get 503 + `Retry-After` while the process is overloaded. Event-loop
 * utilization is off by default (a busy but healthy server runs near 1.0); delay and memory are the
 * signals of real trouble.
 */
export interface LoadSheddingOptions {
  /** Shed when the event loop lags more than this, in ms (default 1000; 0 disables). */
  readonly maxEventLoopDelayMs?: number;
  /** Shed when event-loop utilization exceeds this fraction (0..1; default off). */
  readonly maxEventLoopUtilization?: number;
  /** Shed when the V8 heap exceeds this many bytes (default off). */
  readonly maxHeapUsedBytes?: number;
  /** Shed when resident memory exceeds this many bytes (default off). */
  readonly maxRssBytes?: number;
  /** Seconds clients are told to wait (default 10). */
  readonly retryAfterSeconds?: number;
  /** How often pressure is sampled, in ms (default 1000). */
  readonly sampleIntervalMs?: number;
}

/** Registers the rate limiter and the load shedder (each skipped when `false`). */
export async function installLimits(
  app: FastifyInstance,
  rateLimit: RateLimitOptions | false,
  loadShedding: LoadSheddingOptions | false,
): Promise<void> {
  if (loadShedding !== false) {
    const retryAfter = loadShedding.retryAfterSeconds ?? 10;
    await app.register(fastifyUnderPressure, {
      maxEventLoopDelay: loadShedding.maxEventLoopDelayMs ?? 1_000,
      ...(loadShedding.maxEventLoopUtilization === undefined
        ? {}
        : { maxEventLoopUtilization: loadShedding.maxEventLoopUtilization }),
      ...(loadShedding.maxHeapUsedBytes === undefined
        ? {}
        : { maxHeapUsedBytes: loadShedding.maxHeapUsedBytes }),
      ...(loadShedding.maxRssBytes === undefined ? {} : { maxRssBytes: loadShedding.maxRssBytes }),
      sampleInterval: loadShedding.sampleIntervalMs ?? 1_000,
      retryAfter,
      pressureHandler: async (request, reply, type) => {
        if (request.routeOptions.config.shed === false) return;
        reply.header('retry-after', String(retryAfter));
        throw new SignetError(
          'SIGNET_OVERLOADED',
          `the server is overloaded (${type}); retry after ${retryAfter} s`,
          { details: { retryAfterMs: retryAfter * 1_000 } },
        );
      },
    });
  }
  if (rateLimit !== false) {
    await app.register(fastifyRateLimit, {
      global: true,
      max: rateLimit.max ?? 600,
      timeWindow: rateLimit.timeWindowMs ?? 60_000,
      keyGenerator: (request) => {
        const identity = request.signet?.identity;
        return identity === undefined ? `ip:${request.ip}` : `key:${identity.prefix}`;
      },
      errorResponseBuilder: (_request, context) =>
        new SignetError(
          'SIGNET_RATE_LIMITED',
          `rate limit of ${context.max} requests exceeded; retry in ${context.after}`,
          { details: { limit: context.max, retryAfterMs: context.ttl } },
        ),
    });
  }
}
