import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignetError } from '../../src/index.ts';
import type { Readiness } from '../readiness.ts';
import { errorBodySchema } from '../schemas/common-schemas.ts';

/** Options of the operational routes. */
export interface OperationsRoutesOptions {
  readonly readiness: Readiness;
}

const operational = { scope: 'public', shed: false, rateLimit: false } as const;

/** `/health` (liveness) and `/ready` (readiness). Both are public, never rate limited or shed. */
export const operationsRoutes: FastifyPluginAsyncZod<OperationsRoutesOptions> = async (
  app,
  { readiness },
) => {
  const started = performance.now();

  app.get(
    '/health',
    {
      config: operational,
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['operations'],
        response: { 200: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }) },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((performance.now() - started) / 1000) }),
  );

  app.get(
    '/ready',
    {
      config: operational,
      schema: {
        summary: 'Readiness: 503 while starting or shutting down',
        tags: ['operations'],
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorBodySchema },
      },
    },
    async () => {
      const reason = readiness.notReadyReason();
      if (reason !== undefined) {
        throw new SignetError('SIGNET_NOT_READY', `not ready: ${reason}`, {
          details: { retryAfterMs: 5_000 },
        });
      }
      return { status: 'ready' as const };
    },
  );
};
