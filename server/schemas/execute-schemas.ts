import { z } from 'zod';
import { errorBodySchema, usageSchema } from './common-schemas.ts';

/** Most items one batch request may carry. */
export const MAX_BATCH_ITEMS = 100;
/** Most items of one batch run at the same time. */
export const MAX_BATCH_CONCURRENCY = 8;

/** Program kinds the HTTP API can run. */
export const programKindSchema = z
  .enum(['predict', 'chain-of-thought', 'react', 'refine'])
  .describe('react runs without tools (like predict); refine has only the signature checks');

/** Per-request settings. */
export const executeConfigSchema = z.strictObject({
  model: z.string().min(1).max(200).optional().describe('A model id from GET /api/v1/models'),
  role: z.string().min(1).max(100).optional().describe('Pick a model by role (fast, smart, local...)'),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional().describe('Cap per model call'),
  topP: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe('Nucleus sampling: the share of probability mass sampled from'),
  timeoutMs: z.number().int().min(1).max(3_600_000).optional().describe('Deadline for the execution'),
  cache: z
    .enum(['off', 'read', 'write', 'on'])
    .optional()
    .describe('Response cache: default on at temperature 0, off otherwise (when the server has one)'),
  semanticCache: z
    .boolean()
    .optional()
    .describe(
      'Also answer from a cached run whose inputs mean the same (same signature, model and parameters); needs a server with the semantic cache',
    ),
});

const inputsSchema = z
  .record(z.string(), z.unknown())
  .describe("The signature's input fields (see GET /api/v1/dspy/signatures/{name})");

const target = {
  signature: z.string().min(1).max(200).describe('Signature name'),
  version: z.string().min(1).max(100).optional().describe('Version or semver range; latest when absent'),
  program: programKindSchema.default('predict'),
  config: executeConfigSchema.optional(),
};

/** Body of POST /api/v1/dspy/execute and /execute/stream. */
export const executeBodySchema = z.strictObject({ ...target, inputs: inputsSchema });

/** The result of one execution. */
export const executeResultSchema = z.object({
  outputs: z.record(z.string(), z.unknown()),
  usage: usageSchema,
  model: z.string(),
  provider: z.string(),
  latencyMs: z.number(),
  attempts: z.number().int(),
  warnings: z.array(z.string()).readonly().optional(),
  cached: z
    .object({
      kind: z
        .enum(['exact', 'semantic'])
        .describe('exact: the same inputs; semantic: inputs that mean the same'),
      requestId: z.string().optional().describe('Request that produced the cached answer'),
      savedAt: z.string().describe('When it was stored (ISO 8601)'),
      inputsHash: z.string().describe('SHA-256 of the inputs the answer was produced for'),
      similarity: z.number().optional().describe('Cosine similarity to those inputs (semantic hits)'),
    })
    .optional()
    .describe('Present when the answer came from the cache (no model call; usage is 0)'),
});

/** Body of a successful execute response. */
export const executeResponseSchema = executeResultSchema.extend({ requestId: z.string() });

/** Body of POST /api/v1/dspy/execute/batch. */
export const batchBodySchema = z.strictObject({
  ...target,
  items: z
    .array(z.strictObject({ inputs: inputsSchema }))
    .min(1)
    .max(MAX_BATCH_ITEMS),
  concurrency: z.number().int().min(1).max(MAX_BATCH_CONCURRENCY).optional().describe('Default 4'),
});

/** One item of a batch response, in request order. */
export const batchItemSchema = z.union([
  executeResultSchema.extend({ index: z.number().int(), ok: z.literal(true) }),
  z.object({ index: z.number().int(), ok: z.literal(false), error: errorBodySchema.shape.error }),
]);

/** Body of a batch response. */
export const batchResponseSchema = z.object({
  results: z.array(batchItemSchema),
  succeeded: z.number().int(),
  failed: z.number().int(),
  requestId: z.string(),
});
