import { afterEach, describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/errors/index.ts';
import { predict } from '../../../src/program/index.ts';
import { type CloudProviderKind, createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { type CloudFakeServer, loadFixture, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { capital, cleanEnv, keys, question } from './cloud-test-kit.ts';

const chatPath: Record<'openai' | 'anthropic' | 'gemini' | 'huggingface', { base: string; path: string }> = {
  openai: { base: '/v1', path: '/v1/chat/completions' },
  anthropic: { base: '/v1', path: '/v1/messages' },
  gemini: { base: '/v1beta', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse' },
  huggingface: { base: '/v1', path: '/v1/chat/completions' },
};
const models = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  gemini: 'gemini-2.5-flash',
  huggingface: 'x/y',
};
const envs = {
  openai: { OPENAI_API_KEY: keys.openai },
  anthropic: { ANTHROPIC_API_KEY: keys.anthropic },
  gemini: { GEMINI_API_KEY: keys.gemini },
  huggingface: { HF_TOKEN: keys.huggingface },
};

describe('cloud error translation', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** Runs a predict program against a fake that answers every chat call with `fixture`. */
  const runAgainst = async (kind: keyof typeof chatPath, fixture: string) => {
    const { base, path } = chatPath[kind];
    fake = await startCloudFakeServer([{ method: 'POST', path, reply: fixture }]);
    const ai = createCloudProvider({
      kind: kind satisfies CloudProviderKind,
      model: models[kind],
      baseUrl: `${fake.origin}${base}`,
      env: cleanEnv(envs[kind]),
    });
    const error = await predict(capital)
      .run(question, { ai })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!SignetError.is(error)) throw new Error(`expected a SignetError, got ${String(error)}`);
    return { error, attempts: fake.requestsTo(path).length };
  };

  it('maps an OpenAI 429 rate limit to SIGNET_PROVIDER_RATE_LIMITED with Retry-After in ms', async () => {
    const { error, attempts } = await runAgainst('openai', 'openai/error-429-rate-limit.http');
    expect(error.code).toBe('SIGNET_PROVIDER_RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({
      provider: 'openai',
      upstreamStatus: 429,
      upstreamCode: 'rate_limit_exceeded',
      retryAfterMs: 20_000,
    });
    expect(attempts).toBe(1);
  });

  it("reads OpenAI's retry-after-ms header when Retry-After is absent", async () => {
    const recorded = loadFixture('openai/error-429-rate-limit.http');
    const { 'retry-after': _seconds, ...headers } = recorded.headers;
    const reply = { ...recorded, headers: { ...headers, 'retry-after-ms': '1500' } };
    fake = await startCloudFakeServer([{ method: 'POST', path: '/v1/chat/completions', reply }]);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const error = await predict(capital)
      .run(question, { ai })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_RATE_LIMITED', details: { retryAfterMs: 1_500 } });
  });

  it('maps an OpenAI 429 insufficient_quota to SIGNET_PROVIDER_QUOTA, which is not retryable', async () => {
    const { error } = await runAgainst('openai', 'openai/error-429-insufficient-quota.http');
    expect(error.code).toBe('SIGNET_PROVIDER_QUOTA');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ upstreamCode: 'insufficient_quota' });
    expect(error.details).not.toHaveProperty('retryAfterMs');
  });

  it('maps an OpenAI 401 invalid_api_key to SIGNET_PROVIDER_AUTH naming where the key came from', async () => {
    const { error } = await runAgainst('openai', 'openai/error-401-invalid-api-key.http');
    expect(error.code).toBe('SIGNET_PROVIDER_AUTH');
    expect(error.details).toMatchObject({ upstreamStatus: 401, upstreamCode: 'invalid_api_key' });
    expect(error.message).toContain('OPENAI_API_KEY');
  });

  it('maps an OpenAI 400 context_length_exceeded to SIGNET_CONTEXT_TOO_LONG', async () => {
    const { error } = await runAgainst('openai', 'openai/error-400-context-length.http');
    expect(error.code).toBe('SIGNET_CONTEXT_TOO_LONG');
    expect(error.details).toMatchObject({ upstreamStatus: 400, upstreamCode: 'context_length_exceeded' });
  });

  it('makes exactly one HTTP attempt on a 500, because Ax retries are off', async () => {
    const { error, attempts } = await runAgainst('openai', 'openai/error-500-server-error.http');
    expect(error.code).toBe('SIGNET_PROVIDER_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ upstreamStatus: 500, upstreamCode: 'server_error' });
    expect(attempts).toBe(1);
  });

  it('maps an Anthropic 529 overloaded_error to SIGNET_PROVIDER_ERROR after one attempt', async () => {
    const { error, attempts } = await runAgainst('anthropic', 'anthropic/error-529-overloaded.http');
    expect(error.code).toBe('SIGNET_PROVIDER_ERROR');
    expect(error.details).toMatchObject({ upstreamStatus: 529, upstreamCode: 'overloaded_error' });
    expect(attempts).toBe(1);
  });

  it('maps an overloaded_error event in the middle of an Anthropic stream to SIGNET_PROVIDER_ERROR', async () => {
    const { error, attempts } = await runAgainst('anthropic', 'anthropic/messages-stream-overloaded.http');
    expect(error.code).toBe('SIGNET_PROVIDER_ERROR');
    expect(error.details).toMatchObject({ provider: 'anthropic', upstreamCode: 'overloaded_error' });
    expect(error.message).toContain('Overloaded');
    expect(attempts).toBe(1);
  });

  it('maps an Anthropic 429 with Retry-After, 401 and prompt-too-long', async () => {
    const limited = await runAgainst('anthropic', 'anthropic/error-429-rate-limit.http');
    expect(limited.error.code).toBe('SIGNET_PROVIDER_RATE_LIMITED');
    expect(limited.error.details).toMatchObject({ retryAfterMs: 7_000, upstreamCode: 'rate_limit_error' });
    await fake?.close();
    const auth = await runAgainst('anthropic', 'anthropic/error-401-authentication.http');
    expect(auth.error.code).toBe('SIGNET_PROVIDER_AUTH');
    expect(auth.error.message).toContain('ANTHROPIC_API_KEY');
    await fake?.close();
    const long = await runAgainst('anthropic', 'anthropic/error-400-prompt-too-long.http');
    expect(long.error.code).toBe('SIGNET_CONTEXT_TOO_LONG');
  });

  it("maps Gemini's 400 API_KEY_INVALID to SIGNET_PROVIDER_AUTH and its token-count error to SIGNET_CONTEXT_TOO_LONG", async () => {
    const auth = await runAgainst('gemini', 'gemini/error-400-api-key-invalid.http');
    expect(auth.error.code).toBe('SIGNET_PROVIDER_AUTH');
    expect(auth.error.details).toMatchObject({ upstreamCode: 'API_KEY_INVALID' });
    expect(auth.error.message).toContain('GEMINI_API_KEY');
    await fake?.close();
    const long = await runAgainst('gemini', 'gemini/error-400-token-limit.http');
    expect(long.error.code).toBe('SIGNET_CONTEXT_TOO_LONG');
  });

  it("maps the Hugging Face router's 401 with a string error body", async () => {
    const { error } = await runAgainst('huggingface', 'huggingface/error-401-invalid-token.http');
    expect(error.code).toBe('SIGNET_PROVIDER_AUTH');
    expect(error.message).toContain('Invalid credentials in Authorization header');
    expect(error.message).toContain('HF_TOKEN');
  });

  it("keeps each concurrent call's Retry-After with its own error", async () => {
    fake = await startCloudFakeServer([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        reply: (request) =>
          request.rawBody.includes('limited')
            ? 'openai/error-429-rate-limit.http'
            : 'openai/error-429-insufficient-quota.http',
      },
    ]);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      stream: false,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const ask = (content: string) =>
      ai.chat({ chatPrompt: [{ role: 'user', content }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
    const [quota, limited] = await Promise.all([ask('quota'), ask('limited'), ask('quota')]);
    expect(limited).toMatchObject({
      code: 'SIGNET_PROVIDER_RATE_LIMITED',
      details: { retryAfterMs: 20_000 },
    });
    expect(quota).toMatchObject({ code: 'SIGNET_PROVIDER_QUOTA' });
    expect((quota as SignetError).details).not.toHaveProperty('retryAfterMs');
  });

  it('translates embedding failures too', async () => {
    fake = await startCloudFakeServer([
      { method: 'POST', path: '/v1/embeddings', reply: 'openai/error-429-rate-limit.http' },
    ]);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const error = await ai.embed({ texts: ['hello'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_RATE_LIMITED', details: { retryAfterMs: 20_000 } });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps an unreachable API to SIGNET_PROVIDER_UNAVAILABLE', async () => {
    const closed = await startCloudFakeServer([]);
    await closed.close();
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${closed.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const error = await predict(capital)
      .run(question, { ai })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_UNAVAILABLE' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('maps a caller abort to SIGNET_ABORTED', async () => {
    fake = await startCloudFakeServer([
      { method: 'POST', path: '/v1/chat/completions', reply: 'openai/chat-completion.http' },
    ]);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const controller = new AbortController();
    controller.abort();
    const error = await ai
      .chat({ chatPrompt: [{ role: 'user', content: 'hi' }] }, { abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIGNET_ABORTED' });
  });
});
