import { z } from 'zod';

/** One validation problem (zod's shape). */
export const issueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])).readonly(),
  code: z.string(),
  message: z.string(),
});

/** The error body of every non-OpenAI route (documented in the OpenAPI spec). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable error code (docs/errors.md)'),
      message: z.string().describe('What went wrong and how to fix it'),
      retryable: z.boolean().describe('Whether repeating the request may succeed'),
      requestId: z.string().describe('Also sent as the x-request-id header'),
      issues: z.array(issueSchema).readonly().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe('Error');

/** Token counts summed over every model call of a run. */
export const usageSchema = z.object({
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
});

/** Error responses common to routes that take a body. */
export const commonErrorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  429: errorBodySchema,
  503: errorBodySchema,
} as const;
