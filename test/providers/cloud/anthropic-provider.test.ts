import { afterEach, describe, expect, it } from 'vitest';
import { predict } from '../../../src/program/index.ts';
import { createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { byStreamFlag, type CloudFakeServer, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { capital, cleanEnv, keys, question } from './cloud-test-kit.ts';

describe('anthropic cloud provider', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const provider = async (stream?: boolean) => {
    fake = await startCloudFakeServer([
      {
        method: 'POST',
        path: '/v1/messages',
        reply: byStreamFlag('anthropic/messages.http', 'anthropic/messages-stream.http'),
      },
    ]);
    const ai = createCloudProvider({
      kind: 'anthropic',
      model: 'claude-haiku-4-5',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ ANTHROPIC_API_KEY: keys.anthropic }),
      ...(stream === undefined ? {} : { stream }),
    });
    return { ai, server: fake };
  };

  it('runs a predict program over a Messages event stream, sending x-api-key and the API version', async () => {
    const { ai, server } = await provider();
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    const [request] = server.requestsTo('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(keys.anthropic);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json).toMatchObject({ model: 'claude-haiku-4-5', stream: true });
  });

  it('parses a non-streaming Messages response', async () => {
    const { ai, server } = await provider(false);
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    expect(result.usage).toEqual({ promptTokens: 131, completionTokens: 6, totalTokens: 137 });
    expect(server.requests).toHaveLength(1);
  });

  it('declares no native structured output and no embeddings', () => {
    const ai = createCloudProvider({
      kind: 'anthropic',
      model: 'claude-haiku-4-5',
      env: cleanEnv({ ANTHROPIC_API_KEY: keys.anthropic }),
    });
    expect(ai.capabilities).toMatchObject({
      runtime: 'anthropic',
      structuredOutput: false,
      embeddings: false,
      tools: true,
      contextWindow: 200_000,
    });
  });

  it('refuses to embed without calling the API', async () => {
    const { ai, server } = await provider();
    await expect(ai.embed({ texts: ['hello'] })).rejects.toMatchObject({ code: 'SIGNET_PROVIDER_REJECTED' });
    expect(server.requests).toHaveLength(0);
  });
});
