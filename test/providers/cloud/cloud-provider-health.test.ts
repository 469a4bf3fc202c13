import { afterEach, describe, expect, it } from 'vitest';
import { createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { type CloudFakeServer, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { cleanEnv, keys } from './cloud-test-kit.ts';

describe('cloud provider health', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('is ok when the API lists its models, and sends the key the way chat does', async () => {
    fake = await startCloudFakeServer([
      { method: 'GET', path: '/v1/models', reply: 'anthropic/models.http' },
      { method: 'GET', path: '/v1beta/models', reply: 'gemini/models.http' },
    ]);
    const anthropic = createCloudProvider({
      kind: 'anthropic',
      model: 'claude-haiku-4-5',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ ANTHROPIC_API_KEY: keys.anthropic }),
    });
    const gemini = createCloudProvider({
      kind: 'gemini',
      model: 'gemini-2.5-flash',
      baseUrl: `${fake.origin}/v1beta`,
      env: cleanEnv({ GEMINI_API_KEY: keys.gemini }),
    });
    const [a, g] = await Promise.all([anthropic.health(), gemini.health()]);
    expect(a.ok).toBe(true);
    expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    expect(g.ok).toBe(true);
    const [anthropicRequest] = fake.requestsTo('/v1/models');
    expect(anthropicRequest?.headers).toMatchObject({
      'x-api-key': keys.anthropic,
      'anthropic-version': '2023-06-01',
    });
    expect(fake.requestsTo('/v1beta/models')[0]?.headers['x-goog-api-key']).toBe(keys.gemini);
  });

  it('reports a rejected key as not ok, naming the variable and hiding the key', async () => {
    fake = await startCloudFakeServer([
      { method: 'GET', path: '/v1/models', reply: 'openai/error-401-invalid-api-key.http' },
    ]);
    const openai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const health = await openai.health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain('OPENAI_API_KEY');
    expect(health.message).not.toContain('sk-test');
    expect(fake.requestsTo('/v1/models')[0]?.headers.authorization).toBe(`Bearer ${keys.openai}`);
  });

  it('reports an unreachable API as not ok instead of throwing', async () => {
    const closed = await startCloudFakeServer([]);
    await closed.close();
    const provider = createCloudProvider({
      kind: 'huggingface',
      model: 'x/y',
      baseUrl: `${closed.origin}/v1`,
      env: cleanEnv({ HF_TOKEN: keys.huggingface }),
    });
    const health = await provider.health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain('ECONNREFUSED');
  });

  it('reports an aborted check as not ok', async () => {
    fake = await startCloudFakeServer([{ method: 'GET', path: '/v1/models', reply: 'openai/models.http' }]);
    const provider = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const controller = new AbortController();
    controller.abort();
    const health = await provider.health(controller.signal);
    expect(health).toMatchObject({ ok: false, message: 'openai: the health check was aborted' });
  });
});
