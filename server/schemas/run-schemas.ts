import { z } from 'zod';
import { RUN_STATUSES } from '../runs/run-record.ts';
import { usageSchema } from './common-schemas.ts';
import { executeConfigSchema } from './execute-schemas.ts';

/** Most runs one listing page returns. */
export const MAX_RUNS_PAGE = 500;

const runIdSchema = z
  .string()
  .regex(
    /^run_[0-9a-z]{9}[0-9a-f]{16}$/,
    'a run id looks like run_<25 characters>, as POST /api/v1/dspy/runs returned it',
  );

/** Path parameters of a run's routes. */
export const runParamsSchema = z.strictObject({ id: runIdSchema });

/** `config` of a run: the execute endpoint's, without the response cache switches. */
export const runConfigSchema = executeConfigSchema.omit({ cache: true, semanticCache: true }).extend({
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000)
    .optional()
    .describe('Deadline of one attempt (a resumed run gets a new one)'),
});

/** Body of POST /api/v1/dspy/runs. */
export const startRunBodySchema = z.strictObject({
  pipeline: z.string().min(1).max(200).describe('Pipeline name (GET /api/v1/dspy/pipelines)'),
  version: z.string().min(1).max(100).optional().describe('Exact version; the newest when absent'),
  inputs: z.record(z.string(), z.unknown()).describe("The pipeline's inputs"),
  config: runConfigSchema.optional(),
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Repeating a request with the same key returns the first run (also the Idempotency-Key header)',
    ),
});

const stepSchema = z.object({
  step: z.string(),
  signature: z.string().describe('name@version of the step signature'),
  outputs: z.record(z.string(), z.unknown()),
  usage: usageSchema,
  recordedAt: z.string().describe('When its checkpoint was written (ISO 8601)'),
});

/** A run as the API shows it. */
export const runSchema = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  pipeline: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  attempts: z.number().int().describe('Attempts started; more than 1 after a resume'),
  resumes: z.number().int().describe('Times the run was resumed (after a crash, or by request)'),
  stepsTotal: z.number().int(),
  stepsDone: z.number().int().describe('Steps recorded: a resume never runs them again'),
  steps: z
    .array(stepSchema)
    .optional()
    .describe('Recorded steps, in the order they completed (GET of one run)'),
  outputs: z.record(z.string(), z.unknown()).optional(),
  usage: usageSchema.describe('Tokens of the recorded steps'),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  idempotencyKey: z.string().optional(),
});

/** Query of GET /api/v1/dspy/runs. */
export const listRunsQuerySchema = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  after: runIdSchema.optional().describe('The previous page next cursor'),
  limit: z.coerce.number().int().min(1).max(MAX_RUNS_PAGE).default(50),
});

/** Body of GET /api/v1/dspy/runs. */
export const runListSchema = z.object({
  runs: z.array(runSchema),
  next: z.string().optional().describe('Pass as `after` for the next page'),
});

/** Query of GET /api/v1/dspy/runs/:id/events. */
export const runEventsQuerySchema = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Sequence number to continue after (also Last-Event-ID)'),
});

/** One pipeline of GET /api/v1/dspy/pipelines. */
export const pipelineSchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  steps: z.array(z.string()),
  inputSchema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of the inputs'),
});
