import type { AxChatResponse, AxChatResponseResult } from '@ax-llm/ax';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.ts';
import { ollamaTimingsOf } from './ollama-timings.ts';
import { recordOf, stringField } from './wire-fields.ts';

/** Per-response state: ids for tool calls (Ollama before 0.12 sends none, Ax needs them). */
export interface ChatResponseState {
  /** Provider name reported in usage. */
  readonly provider: string;
  /** Model asked for, used when the answer does not name one. */
  readonly model: string;
  /** Tool calls seen so far in this response (the next id's number). */
  toolCalls: number;
}

/**
 * Maps one `/api/chat` message (a whole answer, or one NDJSON line of a stream) to an Ax response. A
 * stream line carries its content delta; the last line (`done: true`) adds the finish reason, token
 * usage and Ollama's timings. Ax concatenates the deltas.
 */
export function mapOllamaChatResponse(message: unknown, state: ChatResponseState): AxChatResponse {
  const reply = recordOf(recordOf(message)?.message);
  const functionCalls = toolCallsOf(reply?.tool_calls, state);
  const thought = stringField(reply, 'thinking');
  const done = recordOf(message)?.done === true;
  const result: AxChatResponseResult = {
    index: 0,
    content: stringField(reply, 'content') ?? '',
    ...(thought === undefined ? {} : { thought }),
    ...(functionCalls.length === 0 ? {} : { functionCalls }),
    ...(done
      ? { finishReason: mapOllamaFinishReason(stringField(message, 'done_reason'), state.toolCalls > 0) }
      : {}),
  };
  if (!done) return { results: [result] };
  const timings = ollamaTimingsOf(message);
  const promptTokens = timings.promptEvalCount ?? 0;
  const completionTokens = timings.evalCount ?? 0;
  return {
    results: [result],
    modelUsage: {
      ai: state.provider,
      model: timings.model ?? state.model,
      tokens: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
    },
    providerMetadata: { ollama: { ...timings } },
  };
}

function toolCallsOf(
  value: unknown,
  state: ChatResponseState,
): NonNullable<AxChatResponseResult['functionCalls']> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((call: unknown) => {
    const fn = recordOf(recordOf(call)?.function);
    const name = stringField(fn, 'name');
    if (name === undefined) return [];
    const index = state.toolCalls++;
    const id = stringField(call, 'id') ?? `call_${index}`;
    const args: unknown = fn?.arguments;
    return [
      {
        id,
        type: 'function' as const,
        function: {
          name,
          params: typeof args === 'string' || recordOf(args) !== undefined ? (args as string | object) : {},
        },
      },
    ];
  });
}
