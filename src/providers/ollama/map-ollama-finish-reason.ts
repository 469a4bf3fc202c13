import type { AxChatResponseResult } from '@ax-llm/ax';

/** Ax's finish reasons. */
export type AxFinishReason = NonNullable<AxChatResponseResult['finishReason']>;

/**
 * Maps Ollama's `done_reason` to Ax's finish reason. Ollama reports `stop` for a tool-call turn too, so
 * tool calls decide first. `load`/`unload` answer requests with no messages; Ollama adds reasons over
 * time, so anything unknown ends the turn as `stop`.
 */
export function mapOllamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): AxFinishReason {
  if (hasToolCalls) return 'function_call';
  switch (doneReason) {
    case 'length':
      return 'length';
    default:
      return 'stop';
  }
}
