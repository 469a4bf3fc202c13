import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type FieldValues, SignetError } from '../../src/index.ts';
import type { ExecutionResult, ExecutionService } from '../execution/execution-service.ts';
import { mapConcurrent } from '../execution/map-concurrent.ts';
import { errorBody, toSignetError } from '../http/error-response.ts';
import { logFailure } from '../http/install-error-handling.ts';
import { openSseStream } from '../http/sse-stream.ts';
import { commonErrorResponses, errorBodySchema } from '../schemas/common-schemas.ts';
import {
  batchBodySchema,
  batchResponseSchema,
  executeBodySchema,
  executeResponseSchema,
} from '../schemas/execute-schemas.ts';

/** Options of the execute routes. */
export interface ExecuteRoutesOptions {
  readonly executions: ExecutionService;
}

const DEFAULT_BATCH_CONCURRENCY = 4;

/** `POST /api/v1/dspy/execute`, `/execute/stream` (SSE) and `/execute/batch`. */
export const executeRoutes: FastifyPluginAsyncZod<ExecuteRoutesOptions> = async (app, { executions }) => {
  app.post(
    '/api/v1/dspy/execute',
    {
      schema: {
        summary: 'Run a signature once',
        tags: ['execute'],
        body: executeBodySchema,
        response: { 200: executeResponseSchema, ...commonErrorResponses, 502: errorBodySchema },
      },
    },
    async (request, reply) => {
      const prepared = executions.prepare(request.body);
      const inputs = executions.checkInputs(prepared, request.body.inputs);
      const provider = executions.resolveProvider(prepared);
      const result = await executions.run(prepared, provider, inputs, {
        signal: clientSignal(reply.raw),
        requestId: request.id,
        onProviderTime: (ms) => {
          request.signet.providerMs = ms;
        },
      });
      // miss | hit (the same inputs) | semantic-hit (inputs that mean the same; the body has the similarity)
      reply.header('x-signet-cache', cacheHeader(result.cached?.kind));
      return { ...result, requestId: request.id };
    },
  );

  app.post(
    '/api/v1/dspy/execute/stream',
    {
      schema: {
        summary: 'Run a signature, streaming server-sent events (start, partial, reset, final or error)',
        tags: ['execute'],
        body: executeBodySchema,
        response: { 200: z.string().describe('text/event-stream'), ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      // Everything that can fail cleanly fails before the first byte, as a normal JSON error.
      const prepared = executions.prepare(request.body);
      const inputs = executions.checkInputs(prepared, request.body.inputs);
      const provider = executions.resolveProvider(prepared);
      const stream = openSseStream(reply);
      stream.send(
        {
          requestId: request.id,
          signature: prepared.signature.id,
          program: prepared.kind,
          provider: provider.provider,
          model: provider.model,
        },
        'start',
      );
      try {
        const result = await executions.run(prepared, provider, inputs, {
          signal: stream.signal,
          requestId: request.id,
          onEvent: (event) =>
            event.type === 'partial'
              ? stream.send({ delta: event.delta }, 'partial')
              : stream.send({ reason: event.reason }, 'reset'),
          onProviderTime: (ms) => {
            request.signet.providerMs = ms;
          },
        });
        stream.send({ ...result, requestId: request.id }, 'final');
      } catch (error) {
        const signet = toSignetError(error);
        logFailure(request, signet, error);
        stream.send(errorBody(signet, request.id), 'error');
      } finally {
        stream.end();
      }
      return reply;
    },
  );

  app.post(
    '/api/v1/dspy/execute/batch',
    {
      schema: {
        summary: 'Run a signature over many inputs; per-item results and errors, in order',
        tags: ['execute'],
        body: batchBodySchema,
        response: { 200: batchResponseSchema, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const { items, concurrency } = request.body;
      const prepared = executions.prepare(request.body);
      const provider = executions.resolveProvider(prepared);
      const signal = clientSignal(reply.raw);
      const results = await mapConcurrent(
        items,
        concurrency ?? DEFAULT_BATCH_CONCURRENCY,
        async (item, index) => {
          try {
            const inputs: FieldValues = executions.checkInputs(prepared, item.inputs);
            const result: ExecutionResult = await executions.run(prepared, provider, inputs, {
              signal,
              requestId: request.id,
            });
            return { index, ok: true as const, ...result };
          } catch (error) {
            const signet = toSignetError(error);
            logFailure(request, signet, error);
            return { index, ok: false as const, error: errorBody(signet, request.id).error };
          }
        },
      );
      const failed = results.filter((r) => !r.ok).length;
      if (signal.aborted) throw new SignetError('SIGNET_ABORTED', 'the client disconnected');
      return { results, succeeded: results.length - failed, failed, requestId: request.id };
    },
  );
};

/** Aborts when the client disconnects before the response has been sent. */
function clientSignal(response: import('node:http').ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

function cacheHeader(kind: 'exact' | 'semantic' | undefined): string {
  if (kind === undefined) return 'miss';
  return kind === 'exact' ? 'hit' : 'semantic-hit';
}
