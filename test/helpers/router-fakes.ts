import { type AxChatRequest, type AxChatResponse, AxMockAIService } from '@ax-llm/ax';
import type { ErrorCode } from '../../src/errors/error-catalog.ts';
import { SignetError } from '../../src/errors/signet-error.ts';
import type { Router, RouterEvent } from '../../src/router/index.ts';

/** A one-message chat request. */
export const hello: AxChatRequest = { chatPrompt: [{ role: 'user', content: 'hello' }] };

/** A provider failure with a signet code, as a provider would throw it. */
export function failure(code: ErrorCode, details?: Record<string, unknown>): SignetError {
  return new SignetError(code, `upstream says ${code}`, details === undefined ? {} : { details });
}

/** Collects every router event, optionally of one type. */
export function collectEvents(router: Router): RouterEvent[] {
  const events: RouterEvent[] = [];
  router.on((event) => events.push(event));
  return events;
}

/** The text of a chat answer. */
export function textOf(response: AxChatResponse | ReadableStream<AxChatResponse>): string {
  if (response instanceof ReadableStream) throw new Error('expected a whole response, got a stream');
  return response.results[0]?.content ?? '';
}

/** Reads a stream to its end, returning the text; rejects with the stream's error. */
export async function readAll(response: AxChatResponse | ReadableStream<AxChatResponse>): Promise<string> {
  if (!(response instanceof ReadableStream)) return textOf(response);
  let text = '';
  for await (const chunk of response) text += chunk.results[0]?.content ?? '';
  return text;
}

/** One step of a streamed answer. */
export interface StreamStep {
  /** Text of the chunk. */
  readonly text: string;
  /** Wait before the chunk, in ms (honours the abort signal). */
  readonly delayMs?: number;
}

/** Options of `createStreamingProvider`. */
export interface StreamingProviderOptions {
  /** Provider name. */
  readonly name: string;
  /** Chunks of every streamed answer. */
  readonly steps: readonly StreamStep[];
  /** Wait before the upstream call returns its stream, in ms. */
  readonly openDelayMs?: number;
  /**
   * When to stream: `asked` (default) only for `stream: true`; `by-default` unless `stream: false` (as
   * Ax's cloud services do); `always`, whatever the call asks.
   */
  readonly streams?: 'asked' | 'by-default' | 'always';
}

/** A streaming provider fake that records the abort signal of every call. */
export interface StreamingProvider extends AxMockAIService<string> {
  /** The abort signal each call received, in order. */
  readonly signals: readonly AbortSignal[];
  /** The `stream` option each call received, in order. */
  readonly streamOptions: readonly (boolean | undefined)[];
  /** Number of streams cancelled by their reader. */
  readonly cancelled: number;
}

/**
 * A tiny streaming AxAIService (the network edge the router sits on): it answers a stream request with
 * chunks on a schedule and a plain request with the whole text, and records what it was asked to abort.
 */
export function createStreamingProvider(options: StreamingProviderOptions): StreamingProvider {
  const signals: AbortSignal[] = [];
  const streamOptions: (boolean | undefined)[] = [];
  let cancelled = 0;
  const streams = options.streams ?? 'asked';
  const service = new AxMockAIService<string>({
    name: options.name,
    features: { functions: false, streaming: true },
    chatResponse: async (_req, callOptions) => {
      const signal = callOptions?.abortSignal ?? new AbortController().signal;
      signals.push(signal);
      streamOptions.push(callOptions?.stream);
      await sleep(options.openDelayMs ?? 0, signal);
      const streamed =
        streams === 'always' ||
        callOptions?.stream === true ||
        (streams === 'by-default' && callOptions?.stream !== false);
      if (!streamed) {
        const content = options.steps.map((step) => step.text).join('');
        return { results: [{ index: 0, content, finishReason: 'stop' }], modelUsage: usage(options.name) };
      }
      let index = 0;
      return new ReadableStream<AxChatResponse>(
        {
          async pull(out) {
            const step = options.steps[index];
            if (step === undefined) {
              out.close();
              return;
            }
            await sleep(step.delayMs ?? 0, signal);
            const last = index === options.steps.length - 1;
            index++;
            out.enqueue({
              results: [{ index: 0, content: step.text, ...(last ? { finishReason: 'stop' as const } : {}) }],
              ...(last ? { modelUsage: usage(options.name) } : {}),
            });
          },
          cancel() {
            cancelled++;
          },
        },
        { highWaterMark: 0 },
      );
    },
  });
  return Object.defineProperties(service, {
    signals: { get: () => signals },
    streamOptions: { get: () => streamOptions },
    cancelled: { get: () => cancelled },
  }) as StreamingProvider;
}

function usage(name: string) {
  return {
    ai: name,
    model: `${name}-model`,
    tokens: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
