import { afterEach, describe, expect, it } from 'vitest';
import { predict } from '../../../src/program/index.ts';
import { createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { type CloudFakeServer, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { capital, cleanEnv, keys, question } from './cloud-test-kit.ts';

const GENERATE = '/v1beta/models/gemini-2.5-flash:generateContent';
const STREAM = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';

describe('gemini cloud provider', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const provider = async (env: NodeJS.ProcessEnv, stream?: boolean) => {
    fake = await startCloudFakeServer([
      { method: 'POST', path: GENERATE, reply: 'gemini/generate-content.http' },
      { method: 'POST', path: STREAM, reply: 'gemini/stream-generate-content.http' },
    ]);
    const ai = createCloudProvider({
      kind: 'gemini',
      model: 'gemini-2.5-flash',
      baseUrl: `${fake.origin}/v1beta`,
      env,
      ...(stream === undefined ? {} : { stream }),
    });
    return { ai, server: fake };
  };

  it('runs a predict program over streamGenerateContent (CRLF-separated events) with the key in a header', async () => {
    const { ai, server } = await provider(cleanEnv({ GEMINI_API_KEY: keys.gemini }));
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    const [request] = server.requestsTo(STREAM);
    expect(request?.headers['x-goog-api-key']).toBe(keys.gemini);
    expect(request?.path).not.toContain('key=');
    expect(request?.json).toHaveProperty('contents');
  });

  it('parses a generateContent response when streaming is off', async () => {
    const { ai, server } = await provider(cleanEnv({ GEMINI_API_KEY: keys.gemini }), false);
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    expect(result.usage).toEqual({ promptTokens: 127, completionTokens: 4, totalTokens: 131 });
    expect(server.requestsTo(GENERATE)).toHaveLength(1);
  });

  it('falls back to GOOGLE_API_KEY when GEMINI_API_KEY is unset', async () => {
    const { ai, server } = await provider(cleanEnv({ GOOGLE_API_KEY: keys.gemini }));
    await predict(capital).run(question, { ai });
    expect(server.requestsTo(STREAM)[0]?.headers['x-goog-api-key']).toBe(keys.gemini);
  });

  it("declares native structured output and the model's context window", () => {
    const ai = createCloudProvider({
      kind: 'gemini',
      model: 'gemini-3.5-flash',
      env: cleanEnv({ GEMINI_API_KEY: keys.gemini }),
    });
    expect(ai.capabilities).toMatchObject({
      runtime: 'gemini',
      structuredOutput: true,
      embeddings: true,
      contextWindow: 1_048_576,
    });
  });
});
