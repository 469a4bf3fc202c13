import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { trackUnusedConnections } from '../http/unused-connections.ts';
import type { ServerMetrics } from './server-metrics.ts';

/** Where and how `/metrics` is served. */
export interface MetricsOptions {
  /** Record and expose metrics (default true). */
  readonly enabled?: boolean;
  /**
   * Serve `/metrics` on its own port instead of the API port (0 picks a free one). It starts when the
   * app starts listening and stops when the app closes; unauthenticated, so keep it on a private network.
   */
  readonly separatePort?: number;
  /** Host of the separate metrics port (default: the host the app listens on). */
  readonly host?: string;
  /** Include Node/process metrics (default true). */
  readonly defaultMetrics?: boolean;
}

/**
 * Records request durations and gateway overhead for every response, and serves the registry: on the
 * API port at `/metrics` (public when auth is off, `admin` scope when it is on), or on a separate port.
 * Returns the separate port's address once it listens.
 */
export function installMetrics(
  app: FastifyInstance,
  metrics: ServerMetrics,
  options: MetricsOptions & { readonly authOn: boolean },
): () => AddressInfo | undefined {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = (performance.now() - request.signet.startedAt) / 1000;
    metrics.httpDuration.observe(
      { route, method: request.method, status_code: String(reply.statusCode) },
      seconds,
    );
    const providerMs = request.signet.providerMs;
    if (providerMs !== undefined) {
      metrics.gatewayOverhead.observe({ route }, Math.max(0, seconds - providerMs / 1000));
    }
  });

  if (options.separatePort === undefined) {
    app.get(
      '/metrics',
      {
        config: { scope: options.authOn ? 'admin' : 'public', shed: false, rateLimit: false },
        schema: { hide: true },
      },
      async (_request, reply) => {
        reply.type(metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    );
    return () => undefined;
  }

  const port = options.separatePort;
  const server = createMetricsServer(metrics);
  const destroyUnusedConnections = trackUnusedConnections(server);
  app.addHook('onListen', async () => {
    const main = app.server.address();
    const host = options.host ?? (typeof main === 'object' && main !== null ? main.address : '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    app.log.info({ address: server.address() }, 'metrics listening');
  });
  app.addHook('onClose', async () => {
    if (!server.listening) return;
    destroyUnusedConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return () => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  };
}

function createMetricsServer(metrics: ServerMetrics): Server {
  return createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: {
            code: 'SIGNET_ROUTE_NOT_FOUND',
            message: 'this port serves GET /metrics only',
            retryable: false,
          },
        }),
      );
      return;
    }
    metrics.registry.metrics().then(
      (body) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        response.end(body);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('metrics collection failed\n');
      },
    );
  });
}
