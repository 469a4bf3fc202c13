import type { AxChatResponse } from '@ax-llm/ax';
import { numberField, recordOf, stringField } from './wire-fields.ts';

/**
 * Timings Ollama reports on the last message of a chat (all durations in nanoseconds, as on the wire).
 * The provider puts them in `AxChatResponse.providerMetadata.ollama`; read them with `readOllamaTimings`.
 */
export interface OllamaTimings {
  /** Model that answered, as Ollama names it. */
  readonly model: string | undefined;
  /** Ollama's `done_reason` (`stop`, `length`, `load`...). */
  readonly doneReason: string | undefined;
  /** Whole request, including load and prompt evaluation. */
  readonly totalDurationNs: number | undefined;
  /** Loading the model into memory (near zero when it was already loaded). */
  readonly loadDurationNs: number | undefined;
  /** Prompt tokens evaluated; absent or 0 when Ollama reused its prompt cache. */
  readonly promptEvalCount: number | undefined;
  /** Evaluating the prompt. */
  readonly promptEvalDurationNs: number | undefined;
  /** Tokens generated. */
  readonly evalCount: number | undefined;
  /** Generating them. */
  readonly evalDurationNs: number | undefined;
  /** Generation speed: `evalCount / evalDurationNs * 1e9`; undefined without both. */
  readonly tokensPerSecond: number | undefined;
}

/** Reads the timings of a final chat message from the wire. */
export function ollamaTimingsOf(message: unknown): OllamaTimings {
  const evalCount = numberField(message, 'eval_count');
  const evalDurationNs = numberField(message, 'eval_duration');
  return {
    model: stringField(message, 'model'),
    doneReason: stringField(message, 'done_reason'),
    totalDurationNs: numberField(message, 'total_duration'),
    loadDurationNs: numberField(message, 'load_duration'),
    promptEvalCount: numberField(message, 'prompt_eval_count'),
    promptEvalDurationNs: numberField(message, 'prompt_eval_duration'),
    evalCount,
    evalDurationNs,
    tokensPerSecond:
      evalCount === undefined || evalDurationNs === undefined || evalDurationNs <= 0
        ? undefined
        : (evalCount / evalDurationNs) * 1e9,
  };
}

/** The Ollama timings attached to a chat response (or its final stream delta), if any. */
export function readOllamaTimings(
  response: Pick<AxChatResponse, 'providerMetadata'>,
): OllamaTimings | undefined {
  const raw = recordOf(response.providerMetadata?.ollama);
  return raw === undefined ? undefined : (raw as unknown as OllamaTimings);
}
