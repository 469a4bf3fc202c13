import type { AxChatResponse } from '@ax-llm/ax';
import type { AbortableAsyncIterator, ChatResponse } from 'ollama';
import type { SignetError } from '../../errors/signet-error.ts';

/** How a stream ended; `cancelled` covers both the reader cancelling and the caller aborting. */
export type StreamOutcome = 'ok' | 'error' | 'cancelled';

/** What the stream adapter needs from the provider. */
export interface ChatStreamHooks {
  /** Maps one NDJSON message to an Ax delta. */
  map(message: unknown): AxChatResponse;
  /** Maps a failure while reading to a signet error. */
  fail(error: unknown): SignetError;
  /** Called once when the stream ends, fails or is cancelled (release timers, record metrics). */
  finish(outcome: StreamOutcome): void;
}

/**
 * Adapts the client's NDJSON iterator to the `ReadableStream<AxChatResponse>` Ax reads deltas from.
 * Pull-based, so a slow reader applies back-pressure to the HTTP body. Cancelling the stream aborts the
 * HTTP request; an in-band `{"error": ...}` line or a stream cut before `done` errors the stream.
 */
export function toAxChatStream(
  source: AbortableAsyncIterator<ChatResponse>,
  hooks: ChatStreamHooks,
): ReadableStream<AxChatResponse> {
  const messages = source[Symbol.asyncIterator]();
  let finished = false;
  const finish = (outcome: StreamOutcome): void => {
    if (finished) return;
    finished = true;
    hooks.finish(outcome);
  };
  return new ReadableStream<AxChatResponse>({
    async pull(controller) {
      try {
        const next = await messages.next();
        if (finished) return;
        if (next.done === true) {
          finish('ok');
          controller.close();
          return;
        }
        controller.enqueue(hooks.map(next.value));
      } catch (error) {
        if (finished) return;
        const failure = hooks.fail(error);
        finish(failure.code === 'SIGNET_ABORTED' ? 'cancelled' : 'error');
        controller.error(failure);
      }
    },
    cancel() {
      finish('cancelled');
      source.abort();
    },
  });
}
