import { describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/errors/index.ts';
import { type CloudProviderKind, createCloudProvider } from '../../../src/providers/cloud/index.ts';
import { cleanEnv, keys } from './cloud-test-kit.ts';

function creationError(run: () => unknown): SignetError {
  try {
    run();
  } catch (error) {
    if (SignetError.is(error)) return error;
    throw error;
  }
  throw new Error('expected creation to fail');
}

describe('createCloudProvider', () => {
  it.each([
    ['openai', 'OPENAI_API_KEY'],
    ['anthropic', 'ANTHROPIC_API_KEY'],
    ['gemini', 'GEMINI_API_KEY or GOOGLE_API_KEY'],
    ['huggingface', 'HF_TOKEN'],
  ] satisfies [CloudProviderKind, string][])(
    'fails at creation with SIGNET_PROVIDER_UNAVAILABLE naming the variable when %s has no key',
    (kind, variable) => {
      const error = creationError(() => createCloudProvider({ kind, model: 'm', env: cleanEnv() }));
      expect(error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
      expect(error.message).toContain(`set ${variable}`);
    },
  );

  it('treats a blank key variable as missing', () => {
    const error = creationError(() =>
      createCloudProvider({ kind: 'openai', model: 'gpt-4o-mini', env: cleanEnv({ OPENAI_API_KEY: '  ' }) }),
    );
    expect(error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
  });

  it('asks for OPENAI_COMPATIBLE_BASE_URL when an openai-compatible provider has no base URL', () => {
    const error = creationError(() =>
      createCloudProvider({
        kind: 'openai-compatible',
        model: 'm',
        env: cleanEnv({ OPENAI_COMPATIBLE_API_KEY: 'k' }),
      }),
    );
    expect(error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
    expect(error.message).toContain('OPENAI_COMPATIBLE_BASE_URL');
  });

  it('rejects a base URL that is not http(s) without echoing it', () => {
    const error = creationError(() =>
      createCloudProvider({
        kind: 'openai-compatible',
        model: 'm',
        baseUrl: 'ftp://secret-host/v1',
        env: cleanEnv(),
      }),
    );
    expect(error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
    expect(error.message).not.toContain('secret-host');
  });

  it('rejects an unknown kind and an empty model', () => {
    const unknownKind = creationError(() =>
      createCloudProvider({ kind: 'mistral' as CloudProviderKind, model: 'm', env: cleanEnv() }),
    );
    expect(unknownKind.message).toContain('openai-compatible');
    const noModel = creationError(() =>
      createCloudProvider({ kind: 'openai', model: ' ', env: cleanEnv({ OPENAI_API_KEY: keys.openai }) }),
    );
    expect(noModel.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
  });

  it('prefers an explicit key and base URL over the environment', () => {
    const provider = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      apiKey: keys.openai,
      baseUrl: 'http://127.0.0.1:9/v1/',
      env: cleanEnv({ OPENAI_API_KEY: 'sk-from-env-should-not-win', OPENAI_BASE_URL: 'http://10.0.0.1/v1' }),
    });
    expect(provider.describe()).toMatchObject({
      keySource: 'apiKey option',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
  });

  it('reads OPENAI_BASE_URL and ANTHROPIC_BASE_URL like the official SDKs', () => {
    const openai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      env: cleanEnv({ OPENAI_API_KEY: keys.openai, OPENAI_BASE_URL: 'http://127.0.0.1:4000/v1' }),
    });
    const anthropic = createCloudProvider({
      kind: 'anthropic',
      model: 'claude-haiku-4-5',
      env: cleanEnv({ ANTHROPIC_API_KEY: keys.anthropic, ANTHROPIC_BASE_URL: 'http://127.0.0.1:4001/v1' }),
    });
    expect(openai.describe().baseUrl).toBe('http://127.0.0.1:4000/v1');
    expect(anthropic.describe().baseUrl).toBe('http://127.0.0.1:4001/v1');
  });

  it('uses GEMINI_API_KEY before GOOGLE_API_KEY', () => {
    const provider = createCloudProvider({
      kind: 'gemini',
      model: 'gemini-2.5-flash',
      env: cleanEnv({ GOOGLE_API_KEY: 'AIzaGoogleKeyShouldLose123', GEMINI_API_KEY: keys.gemini }),
    });
    expect(provider.describe().keySource).toBe('GEMINI_API_KEY');
  });

  it('keeps retries off even when a caller replaces the service options', () => {
    const provider = createCloudProvider({
      kind: 'openai',
      model: 'gpt-4o-mini',
      apiKey: keys.openai,
      env: cleanEnv(),
    });
    expect(provider.getOptions().retry).toEqual({ maxRetries: 0 });
    provider.setOptions({ retry: { maxRetries: 5 }, debug: false });
    expect(provider.getOptions()).toMatchObject({
      retry: { maxRetries: 0 },
      includeRequestBodyInErrors: false,
    });
  });
});
