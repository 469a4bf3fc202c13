import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { predict } from '../../../src/program/index.ts';
import { createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { byStreamFlag, type CloudFakeServer, startCloudFakeServer } from '../../helpers/cloud-fake-server.ts';
import { capital, cleanEnv, keys, question } from './cloud-test-kit.ts';

/** Everything a log line or a JSON body could be made of. */
function renderings(value: unknown): string[] {
  return [
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    String(value),
  ];
}

describe('cloud provider secrets', () => {
  let fake: CloudFakeServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fake?.close();
    fake = undefined;
  });

  it('keeps the key out of JSON.stringify and util.inspect of every kind of provider', () => {
    const providers = [
      createCloudProvider({ kind: 'openai', model: 'gpt-4o-mini', apiKey: keys.openai, env: cleanEnv() }),
      createCloudProvider({
        kind: 'anthropic',
        model: 'claude-haiku-4-5',
        env: cleanEnv({ ANTHROPIC_API_KEY: keys.anthropic }),
      }),
      createCloudProvider({
        kind: 'gemini',
        model: 'gemini-2.5-flash',
        env: cleanEnv({ GEMINI_API_KEY: keys.gemini }),
      }),
      createCloudProvider({
        kind: 'huggingface',
        model: 'x/y',
        env: cleanEnv({ HF_TOKEN: keys.huggingface }),
      }),
      createCloudProvider({
        kind: 'openai-compatible',
        model: 'm',
        apiKey: keys.compatible,
        baseUrl: 'http://user:pass@127.0.0.1:8000/v1?token=abc',
        env: cleanEnv(),
      }),
    ];
    for (const provider of providers) {
      for (const text of renderings(provider)) {
        for (const key of Object.values(keys)) expect(text).not.toContain(key);
        expect(text).not.toContain('pass@');
        expect(text).not.toContain('token=abc');
      }
    }
    expect(providers[0]?.toJSON()).toMatchObject({
      kind: 'openai',
      model: 'gpt-4o-mini',
      keySource: 'apiKey option',
    });
    expect(providers[1]?.toJSON()).toMatchObject({
      keySource: 'ANTHROPIC_API_KEY',
      baseUrl: 'https://api.anthropic.com/v1',
    });
    expect(providers[4]?.toJSON().baseUrl).toBe('http://127.0.0.1:8000/v1');
  });

  it('keeps the key out of errors, including the masked key an upstream 401 echoes', async () => {
    fake = await startCloudFakeServer([
      { method: 'POST', path: '/v1/chat/completions', reply: 'openai/error-401-invalid-api-key.http' },
    ]);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    const error = await predict(capital)
      .run(question, { ai })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_AUTH' });
    for (const text of renderings(error)) expect(text).not.toContain(keys.openai);
    expect((error as Error).message).not.toContain('sk-test');
    expect(JSON.stringify(error)).not.toContain('sk-test');
  });

  it('logs nothing that contains the key during a run and a failed run', async () => {
    const written: string[] = [];
    const capture = (...args: unknown[]) => {
      written.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '));
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation(capture);
    }
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let failNext = false;
    fake = await startCloudFakeServer([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        reply: (request) =>
          failNext
            ? 'openai/error-401-invalid-api-key.http'
            : byStreamFlag('openai/chat-completion.http', 'openai/chat-completion-stream.http')(request),
      },
    ]);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.origin}/v1`,
      env: cleanEnv({ OPENAI_API_KEY: keys.openai }),
    });
    await predict(capital).run(question, { ai });
    failNext = true;
    await predict(capital)
      .run(question, { ai })
      .catch(() => undefined);
    vi.restoreAllMocks();
    expect(fake.requests).toHaveLength(2);
    expect(written.join('\n')).not.toContain(keys.openai);
  });
});
