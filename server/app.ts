import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { APP_DEFAULTS, type BuildAppOptions, redactPaths } from './app-options.ts';
import { installAuth } from './auth/install-auth.ts';
import { createExecutionService } from './execution/execution-service.ts';
import { createProgramCache } from './execution/program-cache.ts';
import { installErrorHandling } from './http/install-error-handling.ts';
import { installLimits } from './http/install-limits.ts';
import { installOpenApi } from './http/install-openapi.ts';
import type { RequestContext } from './http/request-context.ts';
import { trackUnusedConnections } from './http/unused-connections.ts';
import { installCacheMetrics } from './metrics/install-cache-metrics.ts';
import { installMetrics } from './metrics/install-metrics.ts';
import { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.ts';
import { createReadiness, type Readiness } from './readiness.ts';
import { executeRoutes } from './routes/execute-routes.ts';
import { modelRoutes } from './routes/model-routes.ts';
import { openAiRoutes } from './routes/openai-routes.ts';
import { operationsRoutes } from './routes/operations-routes.ts';
import { signatureRoutes } from './routes/signature-routes.ts';
import { installRuns } from './runs/install-runs.ts';

export type { BuildAppOptions } from './app-options.ts';

/** What an app exposes to start-up and shutdown code (`app.signet`). */
export interface SignetAppRuntime {
  /** Readiness state; shutdown marks it so `/ready` fails while in-flight requests finish. */
  readonly readiness: Readiness;
  /** The app's metrics, or undefined when disabled. */
  readonly metrics: ServerMetrics | undefined;
  /** Address of the separate metrics port, once listening (undefined when metrics share the API port). */
  metricsAddress(): AddressInfo | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** signet's runtime state of this app. */
    signet: SignetAppRuntime;
  }
}

/** The app `buildApp` returns: a Fastify instance with zod-typed routes. */
export type SignetApp = FastifyInstance & { signet: SignetAppRuntime };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the signet HTTP service. Never listens: tests call `app.inject()`, start-up calls `listen()`.
 * Each call makes an independent app (own metrics registry, caches and state).
 */
export async function buildApp(options: BuildAppOptions): Promise<SignetApp> {
  const logger = options.logger ?? {};
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            level: logger.level ?? 'info',
            ...(logger.stream === undefined ? {} : { stream: logger.stream }),
            redact: { paths: redactPaths(logger.redactPrompts ?? true), censor: '[redacted]' },
          },
    bodyLimit: options.bodyLimit ?? APP_DEFAULTS.bodyLimit,
    requestTimeout: options.requestTimeoutMs ?? APP_DEFAULTS.requestTimeoutMs,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    genReqId: createRequestIds(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const version = options.version ?? APP_DEFAULTS.version;
  const auth = options.auth ?? { mode: 'off' };
  const readiness = createReadiness(options.providers);
  const metricsEnabled = options.metrics?.enabled !== false;
  const metrics = metricsEnabled
    ? createServerMetrics({
        providers: options.providers,
        version,
        ...(options.metrics?.defaultMetrics === undefined
          ? {}
          : { defaultMetrics: options.metrics.defaultMetrics }),
      })
    : undefined;
  let metricsAddress: () => AddressInfo | undefined = () => undefined;
  app.decorate('signet', {
    readiness,
    metrics,
    metricsAddress: () => metricsAddress(),
  } satisfies SignetAppRuntime);

  app.decorateRequest('signet', null as unknown as RequestContext);
  app.addHook('onRequest', async (request, reply) => {
    request.signet = {
      startedAt: performance.now(),
      identity: undefined,
      authFailure: undefined,
      providerMs: undefined,
    };
    reply.header('x-request-id', request.id);
  });

  // Closing the app drains it: connections that never sent a request are dropped, and answers to
  // requests still in flight carry `connection: close` and their sockets close after the response, so
  // neither an unused nor a keep-alive connection holds `app.close()` open (Node reaps only idle ones).
  const destroyUnusedConnections = trackUnusedConnections(app.server);
  app.addHook('preClose', async () => {
    readiness.markShuttingDown();
    destroyUnusedConnections();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (readiness.shuttingDown) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request) => {
    if (readiness.shuttingDown && !request.raw.socket.destroyed) request.raw.socket.end();
  });

  installErrorHandling(app);
  if (metrics !== undefined) {
    metricsAddress = installMetrics(app, metrics, { ...options.metrics, authOn: auth.mode === 'on' });
    if (options.cache !== undefined) {
      const stopCacheMetrics = installCacheMetrics(metrics.registry, options.cache);
      app.addHook('onClose', async () => stopCacheMetrics());
    }
  }
  // Answers still queued for the store are written before the app (and then the store) closes.
  if (options.cache !== undefined) {
    const { cache } = options;
    app.addHook('onClose', async () => cache.flush());
  }
  installAuth(app, auth);
  await installLimits(app, options.rateLimit ?? {}, options.loadShedding ?? {});
  if (options.docs !== false) await installOpenApi(app, version);

  const executions = createExecutionService({
    signatures: options.signatures,
    providers: options.providers,
    programs: createProgramCache(),
    maxTimeoutMs: options.executionTimeoutMs ?? APP_DEFAULTS.executionTimeoutMs,
    metrics,
    cache: options.cache,
    semanticSignatures: options.semanticSignatures,
  });
  await app.register(operationsRoutes, { readiness });
  await app.register(signatureRoutes, { signatures: options.signatures });
  await app.register(executeRoutes, { executions });
  await app.register(modelRoutes, { providers: options.providers });
  await app.register(openAiRoutes, {
    providers: options.providers,
    metrics,
    timeoutMs: options.executionTimeoutMs ?? APP_DEFAULTS.executionTimeoutMs,
  });
  if (options.runs !== undefined)
    await installRuns(app, options.runs, { providers: options.providers, metrics });
  return app as unknown as SignetApp;
}

/**
 * Request ids: a caller's `x-request-id` when it is a safe token; otherwise `req_<24 hex>`, a random
 * per-app prefix (48 bits) and a counter (48 bits). Unique within the process and unlikely to collide
 * across processes, without paying for random bytes on every request (ids are not secrets).
 */
function createRequestIds(): (request: IncomingMessage) => string {
  const prefix = `req_${randomBytes(6).toString('hex')}`;
  let counter = 0;
  return (request) => {
    const given = request.headers['x-request-id'];
    if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
    counter = counter >= 0xffff_ffff_ffff ? 0 : counter + 1;
    return prefix + counter.toString(16).padStart(12, '0');
  };
}
