import type { AxChatRequest, AxChatResponse } from '@ax-llm/ax';
import { afterEach, describe, expect, it } from 'vitest';
import { createOllamaProvider, readOllamaTimings } from '../../../src/providers/ollama/index.ts';
import {
  json,
  type OllamaReplayServer,
  ollamaFixture,
  type ReplayReply,
  startOllamaReplayServer,
} from '../../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(path: string, reply: ReplayReply) {
  server = await startOllamaReplayServer([{ method: 'POST', path, reply }]);
  return server;
}

const question: AxChatRequest['chatPrompt'] = [
  { role: 'system', content: 'Answer questions about geography.' },
  { role: 'user', content: 'Question: What is the capital of France?' },
];

function single(response: AxChatResponse | ReadableStream<AxChatResponse>): AxChatResponse {
  if (response instanceof ReadableStream) throw new Error('expected a single response, got a stream');
  return response;
}

describe('Ollama provider chat', () => {
  it('returns the content, finish reason, token usage and timings of a recorded answer', async () => {
    const { url, requests } = await serve('/api/chat', json(ollamaFixture('chat-answer-paris.json')));
    const ai = createOllamaProvider({ host: url, model: 'llama3.2:3b' });
    const response = single(await ai.chat({ chatPrompt: question }));
    expect(response.results).toEqual([{ index: 0, content: 'Answer: Paris', finishReason: 'stop' }]);
    expect(response.modelUsage).toEqual({
      ai: 'ollama',
      model: 'llama3.2:3b',
      tokens: { promptTokens: 86, completionTokens: 4, totalTokens: 90 },
    });
    const timings = readOllamaTimings(response);
    expect(timings).toMatchObject({ evalCount: 4, evalDurationNs: 61440000, loadDurationNs: 23651209 });
    expect(timings?.tokensPerSecond).toBeCloseTo(4 / 0.06144, 6);
    expect(requests[0]?.body).toEqual({
      model: 'llama3.2:3b',
      messages: [
        { role: 'system', content: 'Answer questions about geography.' },
        { role: 'user', content: 'Question: What is the capital of France?' },
      ],
      stream: false,
    });
    expect(ai.getLastUsedChatModel()).toBe('llama3.2:3b');
  });

  it('sends sampling settings as Ollama options, plus keep_alive and num_ctx', async () => {
    const { url, requests } = await serve('/api/chat', json(ollamaFixture('chat-answer-paris.json')));
    const ai = createOllamaProvider({
      host: url,
      model: 'llama3.2:3b',
      keepAlive: '30m',
      numCtx: 8192,
      ollamaOptions: { seed: 42, temperature: 0.8 },
    });
    await ai.chat({
      chatPrompt: question,
      model: 'qwen2.5:7b-instruct',
      modelConfig: { temperature: 0, maxTokens: 64, topP: 0.9, topK: 20, stopSequences: ['\n\n'] },
    });
    expect(requests[0]?.body).toMatchObject({
      model: 'qwen2.5:7b-instruct',
      keep_alive: '30m',
      options: {
        seed: 42,
        num_ctx: 8192,
        temperature: 0,
        num_predict: 64,
        top_p: 0.9,
        top_k: 20,
        stop: ['\n\n'],
      },
    });
  });

  it('reports a cut-off answer as finish reason length', async () => {
    const { url } = await serve('/api/chat', json(ollamaFixture('chat-length.json')));
    const ai = createOllamaProvider({ host: url, model: 'llama3.2:3b' });
    const response = single(await ai.chat({ chatPrompt: question, modelConfig: { maxTokens: 12 } }));
    expect(response.results[0]?.finishReason).toBe('length');
  });

  it('offers functions as tools and returns the tool calls Ollama makes', async () => {
    const { url, bodyOf } = await serve('/api/chat', json(ollamaFixture('chat-tool-call.json')));
    const ai = createOllamaProvider({ host: url, model: 'llama3.2:3b' });
    const parameters = {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', description: 'celsius or fahrenheit', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    };
    const response = single(
      await ai.chat({
        chatPrompt: [{ role: 'user', content: 'What is the weather in Paris?' }],
        functions: [{ name: 'get_current_weather', description: 'Current weather in a city', parameters }],
      }),
    );
    expect(response.results[0]).toEqual({
      index: 0,
      content: '',
      finishReason: 'function_call',
      functionCalls: [
        {
          id: 'call_0',
          type: 'function',
          function: { name: 'get_current_weather', params: { city: 'Paris', unit: 'celsius' } },
        },
      ],
    });
    expect(bodyOf(0).tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_current_weather', description: 'Current weather in a city', parameters },
      },
    ]);
  });

  it('sends tool results back as tool messages named after the call they answer', async () => {
    const { url, bodyOf } = await serve('/api/chat', json(ollamaFixture('chat-answer-paris.json')));
    const ai = createOllamaProvider({ host: url, model: 'llama3.2:3b' });
    await ai.chat({
      chatPrompt: [
        { role: 'user', content: 'What is the weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          functionCalls: [
            {
              id: 'call_0',
              type: 'function',
              function: { name: 'get_current_weather', params: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'function', functionId: 'call_0', result: '{"temperature":21,"unit":"celsius"}' },
      ],
    });
    expect(bodyOf(0).messages).toEqual([
      { role: 'user', content: 'What is the weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_current_weather', arguments: { city: 'Paris' } } }],
      },
      { role: 'tool', content: '{"temperature":21,"unit":"celsius"}', tool_name: 'get_current_weather' },
    ]);
  });

  it('passes a requested output JSON Schema as format, and only "json" or nothing when configured so', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    };
    const req: AxChatRequest = {
      chatPrompt: question,
      responseFormat: { type: 'json_schema', schema: { name: 'output', strict: true, schema } },
    };
    const { url, requests } = await serve('/api/chat', json(ollamaFixture('chat-structured-city.json')));
    await createOllamaProvider({ host: url, model: 'llama3.2:3b' }).chat(req);
    await createOllamaProvider({ host: url, model: 'llama3.2:3b', structuredOutput: 'json' }).chat(req);
    await createOllamaProvider({ host: url, model: 'llama3.2:3b', structuredOutput: 'off' }).chat(req);
    await createOllamaProvider({ host: url, model: 'llama3.2:3b' }).chat({
      chatPrompt: question,
      responseFormat: { type: 'json_object' },
    });
    expect(requests.map((r) => (r.body as { format?: unknown }).format)).toEqual([
      schema,
      'json',
      undefined,
      'json',
    ]);
  });

  it('embeds texts through /api/embed with the embedding model', async () => {
    const { url, requests } = await serve('/api/embed', json(ollamaFixture('embed-nomic-two-texts.json')));
    const ai = createOllamaProvider({
      host: url,
      model: 'llama3.2:3b',
      embedModel: 'nomic-embed-text',
      keepAlive: -1,
    });
    const response = await ai.embed({ texts: ['Paris is in France.', 'Berlin is in Germany.'] });
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings[0]).toHaveLength(768);
    expect(Math.hypot(...(response.embeddings[0] ?? []))).toBeCloseTo(1, 5);
    expect(response.modelUsage).toEqual({
      ai: 'ollama',
      model: 'nomic-embed-text',
      tokens: { promptTokens: 13, completionTokens: 0, totalTokens: 13 },
    });
    expect(requests[0]?.body).toEqual({
      model: 'nomic-embed-text',
      input: ['Paris is in France.', 'Berlin is in Germany.'],
      keep_alive: -1,
    });
    expect(ai.capabilities.embeddings).toBe(true);
  });

  it('embeds nothing without a request when given no texts', async () => {
    const { url, requests } = await serve('/api/embed', json(ollamaFixture('embed-nomic-two-texts.json')));
    const ai = createOllamaProvider({ host: url, model: 'llama3.2:3b' });
    await expect(ai.embed({ texts: [] })).resolves.toMatchObject({ embeddings: [] });
    expect(requests).toHaveLength(0);
  });
});
