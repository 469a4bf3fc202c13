import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatIssues, SignetError, type Store } from '../../src/index.ts';
import { hashCanonical } from '../../src/util/canonical-json.ts';
import type { RequestContext } from '../http/request-context.ts';
import { openSseStream } from '../http/sse-stream.ts';
import type { PipelineCatalog } from '../runs/pipeline-catalog.ts';
import { readRunStream } from '../runs/read-run-stream.ts';
import type { RunExecutor } from '../runs/run-executor.ts';
import { ENDED, newRunId, type RunRecord, type RunStatus } from '../runs/run-record.ts';
import { type RunRegistry, runNotFound } from '../runs/run-registry.ts';
import { runView } from '../runs/run-view.ts';
import { commonErrorResponses, errorBodySchema } from '../schemas/common-schemas.ts';
import {
  listRunsQuerySchema,
  pipelineSchema,
  runEventsQuerySchema,
  runListSchema,
  runParamsSchema,
  runSchema,
  startRunBodySchema,
} from '../schemas/run-schemas.ts';

/** Statuses a run stays in until someone acts: the events stream ends on them. */
const stopped = (status: RunStatus) => ENDED.has(status) || status === 'interrupted';

/** Options of the runs routes. */
export interface RunRoutesOptions {
  readonly store: Store;
  readonly registry: RunRegistry;
  readonly executor: RunExecutor;
  readonly pipelines: PipelineCatalog;
  /** How often a follower of a run's events looks for records written by another process (ms). */
  readonly pollMs?: number | undefined;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const runResponses = { 200: runSchema, ...commonErrorResponses, 409: errorBodySchema };

/**
 * The async runs API: start a pipeline run (202), read it, follow its events (SSE), resume, cancel and
 * list. Runs belong to the API key that started them (admin keys see every run; with auth off, all are
 * shared); another key's run answers 404, as if it did not exist.
 */
export const runRoutes: FastifyPluginAsyncZod<RunRoutesOptions> = async (app, options) => {
  const { store, registry, executor, pipelines } = options;
  const pollMs = options.pollMs ?? 250;
  // Followers of a run's events end when the app closes, so they never hold a shutdown open.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  const principalOf = (context: RequestContext) => context.identity?.prefix;
  const seesAll = (context: RequestContext) =>
    context.identity === undefined || context.identity.scopes.includes('admin');
  const visible = async (context: RequestContext, id: string): Promise<RunRecord> => {
    const run = await registry.require(id);
    if (seesAll(context) || run.principal === principalOf(context)) return run;
    throw runNotFound(id);
  };
  const view = async (run: RunRecord, listSteps: boolean) => {
    const steps = (await readRunStream(store, run.id)).flatMap((e) => (e.kind === 'step' ? [e.record] : []));
    return runView(run, steps, listSteps);
  };

  app.get(
    '/api/v1/dspy/pipelines',
    {
      schema: {
        summary: 'List the pipelines the runs API serves',
        tags: ['runs'],
        response: { 200: z.object({ pipelines: z.array(pipelineSchema) }) },
      },
    },
    async () => ({
      pipelines: pipelines.list().map((p) => ({
        name: p.name,
        version: p.version,
        ...(p.description === undefined ? {} : { description: p.description }),
        steps: [...p.stepNames],
        ...(p.inputsSchema === undefined
          ? {}
          : { inputSchema: z.toJSONSchema(p.inputsSchema, { io: 'input', unrepresentable: 'any' }) }),
      })),
    }),
  );

  app.post(
    '/api/v1/dspy/runs',
    {
      schema: {
        summary: 'Start a durable pipeline run (202 with its id); it is checkpointed after every step',
        tags: ['runs'],
        body: startRunBodySchema,
        response: { 200: runSchema, 202: runSchema, ...commonErrorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const header = request.headers['idempotency-key'];
      const headerKey = typeof header === 'string' ? header : undefined;
      const idempotencyKey = body.idempotencyKey ?? headerKey;
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw new SignetError(
          'SIGNET_INPUT_INVALID',
          'the idempotency key must be 1-200 visible ASCII characters (a UUID works)',
        );
      }
      if (body.idempotencyKey !== undefined && headerKey !== undefined && headerKey !== body.idempotencyKey) {
        throw new SignetError(
          'SIGNET_INPUT_INVALID',
          'the Idempotency-Key header and the body idempotencyKey differ; send one of them',
        );
      }
      const pipeline = pipelines.get(body.pipeline, body.version);
      const valid = pipeline.validateInputs(body.inputs);
      if (!valid.ok) {
        throw new SignetError(
          'SIGNET_INPUT_INVALID',
          `inputs do not match pipeline ${pipeline.id}: ${formatIssues(valid.issues)}`,
          { issues: valid.issues },
        );
      }
      const createdAt = Date.now();
      const principal = principalOf(request.signet);
      const config = body.config ?? {};
      const { run, created } = await executor.submit(
        {
          id: newRunId(createdAt),
          pipeline: { name: pipeline.name, version: pipeline.version },
          inputs: valid.value,
          config,
          idempotencyKey,
          principal,
          steps: pipeline.stepNames.length,
          createdAt,
        },
        hashCanonical({ pipeline: pipeline.id, inputs: valid.value, config }),
      );
      reply.header('location', `/api/v1/dspy/runs/${run.id}`);
      if (!created) reply.header('idempotent-replayed', 'true');
      return reply.code(created ? 202 : 200).send(await view(run, false));
    },
  );

  app.get(
    '/api/v1/dspy/runs',
    {
      schema: {
        summary: 'List runs, oldest first, optionally by status',
        tags: ['runs'],
        querystring: listRunsQuerySchema,
        response: { 200: runListSchema, ...commonErrorResponses },
      },
    },
    async (request) => {
      const { status, after, limit } = request.query;
      const listed = await registry.list({
        status,
        after,
        limit,
        principal: seesAll(request.signet) ? undefined : principalOf(request.signet),
      });
      return {
        runs: await Promise.all(listed.runs.map((run) => view(run, false))),
        ...(listed.next === undefined ? {} : { next: listed.next }),
      };
    },
  );

  app.get(
    '/api/v1/dspy/runs/:id',
    {
      schema: {
        summary: 'A run: status, recorded steps, outputs and usage',
        tags: ['runs'],
        params: runParamsSchema,
        response: runResponses,
      },
    },
    async (request) => view(await visible(request.signet, request.params.id), true),
  );

  app.post(
    '/api/v1/dspy/runs/:id/resume',
    {
      schema: {
        summary: 'Resume a failed, cancelled or interrupted run from its checkpoints (202)',
        tags: ['runs'],
        params: runParamsSchema,
        response: { 202: runSchema, ...commonErrorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      await visible(request.signet, request.params.id);
      const run = await executor.resume(request.params.id);
      return reply.code(202).send(await view(run, false));
    },
  );

  app.delete(
    '/api/v1/dspy/runs/:id',
    {
      schema: {
        summary: 'Cancel a queued or running run (its completed steps stay recorded)',
        tags: ['runs'],
        params: runParamsSchema,
        response: runResponses,
      },
    },
    async (request) => {
      await visible(request.signet, request.params.id);
      return view(await executor.cancel(request.params.id), false);
    },
  );

  app.get(
    '/api/v1/dspy/runs/:id/events',
    {
      schema: {
        summary: 'Follow a run: server-sent `status` and `step` events, ending when the run stops',
        tags: ['runs'],
        params: runParamsSchema,
        querystring: runEventsQuerySchema,
        response: { 200: z.string().describe('text/event-stream'), ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await visible(request.signet, id);
      const lastEventId = Number(request.headers['last-event-id']);
      let after =
        request.query.after ?? (Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0);
      const stream = openSseStream(reply);
      let wake: (() => void) | undefined;
      const stopObserving = executor.observe((event) => {
        const runId = event.type === 'step' ? event.runId : event.run.id;
        if (runId === id) wake?.();
      });
      const wait = () =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            stream.signal.removeEventListener('abort', done);
            closing.signal.removeEventListener('abort', done);
            wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, pollMs);
          wake = done;
          stream.signal.addEventListener('abort', done, { once: true });
          closing.signal.addEventListener('abort', done, { once: true });
        });
      try {
        for (;;) {
          const entries = await readRunStream(store, id, after);
          for (const entry of entries) {
            after = entry.seq;
            if (entry.kind === 'step') {
              const { step, program, outputs, usage, at } = entry.record;
              const signature = program.split('#')[0] ?? program;
              stream.send(
                { step, signature, outputs, usage, recordedAt: new Date(at).toISOString() },
                'step',
                entry.seq,
              );
            } else {
              stream.send(
                { ...entry.record, at: new Date(entry.record.at).toISOString() },
                'status',
                entry.seq,
              );
              // An end status of an earlier attempt (the run was resumed since) does not end the stream:
              // only one the run is still in.
              if (
                stopped(entry.record.status) &&
                entry === entries.at(-1) &&
                (await registry.get(id))?.status === entry.record.status
              ) {
                return;
              }
            }
          }
          if (stream.signal.aborted || closing.signal.aborted) return;
          if (entries.length > 0) continue;
          // A status record can be lost in a crash, so the run record decides when the run stopped:
          // then one more read picks up a status record written just before, or one is made up.
          const run = await registry.get(id);
          if (run !== undefined && !stopped(run.status)) {
            await wait();
            continue;
          }
          const last = await readRunStream(store, id, after);
          if (last.length > 0) continue;
          if (run !== undefined) {
            stream.send(
              {
                type: 'status',
                status: run.status,
                attempt: run.attempts,
                at: new Date(run.updatedAt).toISOString(),
              },
              'status',
            );
          }
          return;
        }
      } finally {
        wake = undefined;
        stopObserving();
        stream.end();
      }
    },
  );
};
