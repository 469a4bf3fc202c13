import { afterEach, describe, expect, it } from 'vitest';
import { predict } from '../../../src/program/index.ts';
import { createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { byStreamFlag, type CloudFakeServer, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { capital, cleanEnv, keys, question } from './cloud-test-kit.ts';

describe('openai cloud provider', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const start = async () => {
    fake = await startCloudFakeServer([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        reply: byStreamFlag('openai/chat-completion.http', 'openai/chat-completion-stream.http'),
      },
      { method: 'POST', path: '/v1/embeddings', reply: 'openai/embeddings.http' },
    ]);
    return fake;
  };

  it('runs a predict program over a streamed chat completion, sending model and bearer key', async () => {
    const server = await start();
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${server.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    const [request] = server.requestsTo('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${keys.openai}`);
    expect(request?.json).toMatchObject({ model: 'gpt-4o-mini', stream: true });
    expect(server.requests).toHaveLength(1);
  });

  it('parses a non-streaming chat completion with its token usage when streaming is off', async () => {
    const server = await start();
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      apiKey: keys.openai,
      baseUrl: `${server.origin}/v1`,
      stream: false,
      env: cleanEnv(),
    });
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    expect(result.usage).toEqual({ promptTokens: 118, completionTokens: 4, totalTokens: 122 });
    expect(server.requestsTo('/v1/chat/completions')[0]?.json).not.toHaveProperty('stream', true);
  });

  it('embeds texts through /v1/embeddings', async () => {
    const server = await start();
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      apiKey: keys.openai,
      baseUrl: `${server.origin}/v1`,
      env: cleanEnv(),
    });
    const result = await ai.embed({ texts: ['hello', 'world'], embedModel: 'text-embedding-3-small' });
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toEqual([-0.0312876, 0.0528114, 0.0191532, -0.0227691]);
    const [request] = server.requestsTo('/v1/embeddings');
    expect(request?.json).toMatchObject({ model: 'text-embedding-3-small', input: ['hello', 'world'] });
  });

  it('declares native structured output, tools, embeddings and a remote device', () => {
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    expect(ai.capabilities).toEqual({
      runtime: 'openai',
      device: 'remote',
      streaming: true,
      structuredOutput: true,
      tools: true,
      embeddings: true,
      contextWindow: 128_000,
      maxConcurrency: 512,
      local: false,
    });
  });

  it("takes the context window from Ax's model table when it lists the model", () => {
    const env = cleanEnv({ OPENAI_API_KEY: keys.openai });
    expect(createCloudProvider({ kind: 'openai', model: 'gpt-5.5', env }).capabilities.contextWindow).toBe(
      1_000_000,
    );
    expect(
      createCloudProvider({
        kind: 'openai',
        model: 'gpt-4o-mini',
        env,
        contextWindow: 64_000,
        maxConcurrency: 4,
      }).capabilities,
    ).toMatchObject({ contextWindow: 64_000, maxConcurrency: 4 });
  });
});
