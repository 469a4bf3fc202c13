import type { AxChatResponse } from '@ax-llm/ax';
import { afterEach, describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/errors/index.ts';
import { createOllamaProvider, readOllamaTimings } from '../../../src/providers/ollama/index.ts';
import {
  ndjson,
  type OllamaReplayServer,
  ollamaFixture,
  startOllamaReplayServer,
} from '../../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function streamFrom(fixture: string, delayMs = 5) {
  server = await startOllamaReplayServer([
    { method: 'POST', path: '/api/chat', reply: ndjson(ollamaFixture(fixture), delayMs) },
  ]);
  return { server, ai: createOllamaProvider({ host: server.url, model: 'llama3.2:3b' }) };
}

async function open(
  response: AxChatResponse | ReadableStream<AxChatResponse>,
): Promise<ReadableStream<AxChatResponse>> {
  if (!(response instanceof ReadableStream)) throw new Error('expected a stream');
  return response;
}

async function collect(stream: ReadableStream<AxChatResponse>): Promise<AxChatResponse[]> {
  const deltas: AxChatResponse[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

const chatPrompt = [{ role: 'user' as const, content: 'Question: What is the capital of France?' }];

describe('Ollama provider streaming', () => {
  it('streams NDJSON lines as deltas that concatenate to the answer, usage on the last one', async () => {
    const { ai, server } = await streamFrom('chat-answer-paris.ndjson');
    const deltas = await collect(await open(await ai.chat({ chatPrompt }, { stream: true })));
    expect(deltas.map((d) => d.results[0]?.content)).toEqual(['Answer', ':', ' Paris', '']);
    expect(deltas.map((d) => d.results[0]?.content).join('')).toBe('Answer: Paris');
    expect(
      deltas
        .slice(0, -1)
        .every((d) => d.modelUsage === undefined && d.results[0]?.finishReason === undefined),
    ).toBe(true);
    const last = deltas.at(-1);
    expect(last?.results[0]?.finishReason).toBe('stop');
    expect(last?.modelUsage?.tokens).toEqual({ promptTokens: 86, completionTokens: 4, totalTokens: 90 });
    expect(last === undefined ? undefined : readOllamaTimings(last)?.evalDurationNs).toBe(46012000);
    expect(server.requests[0]?.body).toMatchObject({ stream: true, model: 'llama3.2:3b' });
  });

  it('streams when the request model config asks for it', async () => {
    const { ai } = await streamFrom('chat-answer-paris.ndjson', 0);
    const response = await ai.chat({ chatPrompt, modelConfig: { stream: true } });
    expect(response).toBeInstanceOf(ReadableStream);
    await collect(await open(response));
  });

  it('errors the stream with SIGNET_PROVIDER_ERROR when Ollama reports a failure in-band', async () => {
    const { ai } = await streamFrom('chat-stream-runner-crash.ndjson');
    const stream = await open(await ai.chat({ chatPrompt }, { stream: true }));
    const seen: string[] = [];
    const error = await (async () => {
      try {
        for await (const delta of stream) seen.push(delta.results[0]?.content ?? '');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(seen).toEqual(['Answer', ':']);
    expect(SignetError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_ERROR', retryable: true });
    expect((error as Error).message).toContain('unexpected EOF');
  });

  it('errors the stream with SIGNET_PROVIDER_ERROR when it ends before the done message', async () => {
    const lines = ollamaFixture('chat-answer-paris.ndjson').trim().split('\n');
    server = await startOllamaReplayServer([
      { method: 'POST', path: '/api/chat', reply: ndjson(lines.slice(0, -1).join('\n')) },
    ]);
    const ai = createOllamaProvider({ host: server.url, model: 'llama3.2:3b' });
    const stream = await open(await ai.chat({ chatPrompt }, { stream: true }));
    await expect(collect(stream)).rejects.toMatchObject({ code: 'SIGNET_PROVIDER_ERROR' });
    expect(ai.getMetrics().errors.chat).toMatchObject({ count: 1, total: 1 });
  });

  it('cancels the HTTP request when the reader cancels the stream', async () => {
    const { ai, server } = await streamFrom('chat-answer-paris.ndjson', 200);
    const stream = await open(await ai.chat({ chatPrompt }, { stream: true }));
    const reader = stream.getReader();
    expect((await reader.read()).value?.results[0]?.content).toBe('Answer');
    await reader.cancel();
    await server.clientDisconnects(1);
  });

  it('aborts a running stream with SIGNET_ABORTED when the caller aborts', async () => {
    const { ai, server } = await streamFrom('chat-answer-paris.ndjson', 200);
    const controller = new AbortController();
    const stream = await open(
      await ai.chat({ chatPrompt }, { stream: true, abortSignal: controller.signal }),
    );
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    await server.clientDisconnects(1);
  });
});
