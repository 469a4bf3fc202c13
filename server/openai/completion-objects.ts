import { randomBytes } from 'node:crypto';
import type { AxChatResponse, AxChatResponseResult } from '@ax-llm/ax';

/** OpenAI's token usage object. */
export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A new completion id (`chatcmpl-...`). */
export function completionId(): string {
  return `chatcmpl-${randomBytes(12).toString('base64url')}`;
}

/** OpenAI's finish reason for Ax's. */
export function finishReason(reason: AxChatResponseResult['finishReason']): string {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/** OpenAI usage from Ax's model usage (zeros when the provider reported none). */
export function usageOf(response: Pick<AxChatResponse, 'modelUsage'> | undefined): OpenAiUsage {
  const tokens = response?.modelUsage?.tokens;
  const prompt = tokens?.promptTokens ?? 0;
  const completion = tokens?.completionTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: tokens?.totalTokens ?? prompt + completion,
  };
}

/** The `chat.completion` object for a whole response. */
export function chatCompletion(id: string, created: number, model: string, response: AxChatResponse) {
  const result = response.results[0];
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: result?.content ?? '', refusal: null },
        logprobs: null,
        finish_reason: finishReason(result?.finishReason),
      },
    ],
    usage: usageOf(response),
    system_fingerprint: null,
  };
}

/** Builds the `chat.completion.chunk` objects of one streamed completion. */
export function chunkFactory(id: string, created: number, model: string, includeUsage: boolean) {
  const base = { id, object: 'chat.completion.chunk' as const, created, model, system_fingerprint: null };
  return {
    /** A chunk with a delta (and the finish reason on the last one). */
    delta: (delta: { role?: 'assistant'; content?: string }, finish: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    }),
    /** The extra chunk `stream_options.include_usage` asks for: no choices, just usage. */
    usage: (usage: OpenAiUsage) => ({ ...base, choices: [], usage }),
  };
}
