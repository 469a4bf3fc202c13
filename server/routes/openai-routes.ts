import type { AxChatResponse } from '@ax-llm/ax';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignetError } from '../../src/index.ts';
import { resolveProviderOrThrow } from '../execution/resolve-provider.ts';
import { openAiErrorBody, toSignetError } from '../http/error-response.ts';
import { logFailure } from '../http/install-error-handling.ts';
import { openSseStream } from '../http/sse-stream.ts';
import { instrumentProvider } from '../metrics/instrument-provider.ts';
import type { ServerMetrics } from '../metrics/server-metrics.ts';
import {
  chatCompletion,
  chunkFactory,
  completionId,
  finishReason,
  type OpenAiUsage,
  usageOf,
} from '../openai/completion-objects.ts';
import { mapChatError } from '../openai/map-chat-error.ts';
import {
  chatCompletionBodySchema,
  chatCompletionSchema,
  modelListSchema,
} from '../openai/openai-chat-schemas.ts';
import { toAxChatRequest } from '../openai/to-ax-chat-request.ts';
import type { ProviderResolver } from '../provider-resolver.ts';

/** Options of the OpenAI-compatible routes. */
export interface OpenAiRoutesOptions {
  readonly providers: ProviderResolver;
  readonly metrics?: ServerMetrics | undefined;
  /** Deadline of one completion, streamed or not, in ms: past it the client gets SIGNET_PROVIDER_TIMEOUT. */
  readonly timeoutMs: number;
}

const config = { openai: true } as const;
const tags = ['openai'];

/**
 * `POST /v1/chat/completions` and `GET /v1/models`, compatible with the official `openai` client.
 * Messages go straight to the resolved provider's `chat()`; no signature is involved.
 */
export const openAiRoutes: FastifyPluginAsyncZod<OpenAiRoutesOptions> = async (
  app,
  { providers, metrics, timeoutMs },
) => {
  const started = Math.floor(Date.now() / 1000);

  app.get(
    '/v1/models',
    {
      config,
      schema: { summary: 'Models, in the OpenAI list shape', tags, response: { 200: modelListSchema } },
    },
    async () => ({
      object: 'list' as const,
      data: providers
        .list()
        .map((m) => ({ id: m.id, object: 'model' as const, created: started, owned_by: m.provider })),
    }),
  );

  app.post(
    '/v1/chat/completions',
    {
      config,
      schema: {
        summary: 'OpenAI-compatible chat completion (streaming with stream: true)',
        tags,
        body: chatCompletionBodySchema,
        response: { 200: z.union([chatCompletionSchema, z.string().describe('text/event-stream')]) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const stream = body.stream === true;
      const resolved = resolveProviderOrThrow(providers, { model: body.model });
      const chatRequest = toAxChatRequest(body, resolved.model, stream);
      const labels = { provider: resolved.provider, model: resolved.model };
      const instrumented =
        metrics === undefined ? undefined : instrumentProvider(resolved.ai, labels, metrics);
      const ai = instrumented?.ai ?? resolved.ai;
      const recordProviderTime = () => {
        if (instrumented !== undefined) request.signet.providerMs = instrumented.timer.totalMs;
      };
      const client = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) client.abort(new Error('client disconnected'));
      });
      // One deadline for the whole completion, however many tries the router makes within it; cleared
      // when the response closes, whichever way it ends.
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        client.abort(new Error('deadline'));
      }, timeoutMs);
      reply.raw.once('close', () => clearTimeout(deadline));
      const failure = (error: unknown): unknown =>
        timedOut
          ? new SignetError(
              'SIGNET_PROVIDER_TIMEOUT',
              `${resolved.provider} did not finish the completion within ${timeoutMs} ms`,
              { cause: error, details: { timeoutMs } },
            )
          : mapChatError(error, resolved.provider, client.signal);
      const id = completionId();
      const created = Math.floor(Date.now() / 1000);

      // Failures up to here (and of the call itself) are plain JSON errors with an HTTP status.
      let response: AxChatResponse | ReadableStream<AxChatResponse>;
      try {
        response = await ai.chat(chatRequest, { abortSignal: client.signal, stream });
      } catch (error) {
        throw failure(error);
      } finally {
        recordProviderTime();
      }
      if (!stream) {
        if (response instanceof ReadableStream) response = await collect(response);
        return chatCompletion(id, created, resolved.model, response);
      }

      const includeUsage = body.stream_options?.include_usage === true;
      const chunks = chunkFactory(id, created, resolved.model, includeUsage);
      const sse = openSseStream(reply);
      try {
        sse.send(chunks.delta({ role: 'assistant', content: '' }));
        let finish = 'stop';
        let usage: OpenAiUsage | undefined;
        const emit = (part: AxChatResponse) => {
          const result = part.results[0];
          if (result?.content !== undefined && result.content !== '')
            sse.send(chunks.delta({ content: result.content }));
          if (result?.finishReason !== undefined) finish = finishReason(result.finishReason);
          if (part.modelUsage?.tokens !== undefined) usage = usageOf(part);
        };
        if (response instanceof ReadableStream) {
          const reader = response.getReader();
          sse.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), {
            once: true,
          });
          for (let next = await reader.read(); !next.done; next = await reader.read()) emit(next.value);
        } else emit(response);
        sse.send(chunks.delta({}, finish));
        if (includeUsage) sse.send(chunks.usage(usage ?? usageOf(undefined)));
        sse.sendRaw('[DONE]');
      } catch (error) {
        // After the first byte an error can only be reported in-band; never a fake [DONE].
        const signet = toSignetError(failure(error));
        logFailure(request, signet, error);
        sse.send(openAiErrorBody(signet));
      } finally {
        recordProviderTime();
        sse.end();
      }
      return reply;
    },
  );
};

async function collect(stream: ReadableStream<AxChatResponse>): Promise<AxChatResponse> {
  const reader = stream.getReader();
  let content = '';
  let last: AxChatResponse | undefined;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    content += next.value.results[0]?.content ?? '';
    last = next.value;
  }
  const result = last?.results[0];
  return {
    ...(last ?? {}),
    results: [
      {
        index: 0,
        content,
        ...(result?.finishReason === undefined ? {} : { finishReason: result.finishReason }),
      },
    ],
  };
}
