import { afterEach, describe, expect, it } from 'vitest';
import { predict } from '../../../src/program/index.ts';
import { createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { byStreamFlag, type CloudFakeServer, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { capital, cleanEnv, keys, question } from './cloud-test-kit.ts';

describe('openai-compatible and huggingface cloud providers', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const serve = async (dir: 'openai-compatible' | 'huggingface') => {
    fake = await startCloudFakeServer([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        reply: byStreamFlag(`${dir}/chat-completion.http`, `${dir}/chat-completion-stream.http`),
      },
    ]);
    return fake;
  };

  it('reaches a server named by OPENAI_COMPATIBLE_BASE_URL without a key', async () => {
    const server = await serve('openai-compatible');
    const ai = createCloudProvider({
      kind: 'openai-compatible',
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      env: cleanEnv({ OPENAI_COMPATIBLE_BASE_URL: `${server.origin}/v1` }),
    });
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    const [request] = server.requestsTo('/v1/chat/completions');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json).toMatchObject({ model: 'Qwen/Qwen2.5-1.5B-Instruct' });
  });

  it('sends OPENAI_COMPATIBLE_API_KEY as a bearer token and parses a non-streaming reply', async () => {
    const server = await serve('openai-compatible');
    const ai = createCloudProvider({
      kind: 'openai-compatible',
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      baseUrl: `${server.origin}/v1/`,
      stream: false,
      env: cleanEnv({ OPENAI_COMPATIBLE_API_KEY: keys.compatible }),
    });
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    expect(server.requestsTo('/v1/chat/completions')[0]?.headers.authorization).toBe(
      `Bearer ${keys.compatible}`,
    );
  });

  it("calls the Hugging Face router's chat completions with HF_TOKEN", async () => {
    const server = await serve('huggingface');
    const ai = createCloudProvider({
      kind: 'huggingface',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      baseUrl: `${server.origin}/v1`,
      env: cleanEnv({ HF_TOKEN: keys.huggingface }),
    });
    const result = await predict(capital).run(question, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    const [request] = server.requestsTo('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${keys.huggingface}`);
    expect(request?.json).toMatchObject({ model: 'meta-llama/Llama-3.1-8B-Instruct', stream: true });
  });

  it('declares function-call structured output for both, and embeddings only for the generic server', () => {
    const hf = createCloudProvider({
      kind: 'huggingface',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      env: cleanEnv({ HF_TOKEN: keys.huggingface }),
    });
    const compatible = createCloudProvider({
      kind: 'openai-compatible',
      model: 'local',
      baseUrl: 'http://127.0.0.1:8000/v1',
      env: cleanEnv(),
    });
    expect(hf.capabilities).toMatchObject({
      runtime: 'huggingface',
      structuredOutput: false,
      embeddings: false,
    });
    expect(compatible.capabilities).toMatchObject({
      runtime: 'openai-compatible',
      structuredOutput: false,
      embeddings: true,
      contextWindow: 8_192,
    });
  });
});
