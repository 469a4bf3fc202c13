import { describe, expect, it } from 'vitest';
import { cloudProviderStatus } from '../../../src/providers/cloud/index.ts';
import { cleanEnv, keys } from './cloud-test-kit.ts';

describe('cloudProviderStatus', () => {
  it('reports every kind unavailable, with what to set, in an empty environment', () => {
    expect(cloudProviderStatus(cleanEnv())).toEqual([
      { kind: 'openai', available: false, hint: 'set OPENAI_API_KEY' },
      { kind: 'anthropic', available: false, hint: 'set ANTHROPIC_API_KEY' },
      { kind: 'gemini', available: false, hint: 'set GEMINI_API_KEY or GOOGLE_API_KEY' },
      { kind: 'huggingface', available: false, hint: 'set HF_TOKEN' },
      { kind: 'openai-compatible', available: false, hint: 'set OPENAI_COMPATIBLE_BASE_URL' },
    ]);
  });

  it('names the variable holding each key without revealing any key', () => {
    const env = cleanEnv({
      OPENAI_API_KEY: keys.openai,
      GOOGLE_API_KEY: keys.gemini,
      HF_TOKEN: keys.huggingface,
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:8000/v1',
    });
    const status = cloudProviderStatus(env);
    expect(status).toEqual([
      { kind: 'openai', available: true, keyEnv: 'OPENAI_API_KEY' },
      { kind: 'anthropic', available: false, hint: 'set ANTHROPIC_API_KEY' },
      { kind: 'gemini', available: true, keyEnv: 'GOOGLE_API_KEY' },
      { kind: 'huggingface', available: true, keyEnv: 'HF_TOKEN' },
      { kind: 'openai-compatible', available: true },
    ]);
    const text = JSON.stringify(status);
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
  });

  it('needs a base URL, not a key, for an openai-compatible server', () => {
    const [, , , , compatible] = cloudProviderStatus(
      cleanEnv({ OPENAI_COMPATIBLE_API_KEY: keys.compatible }),
    );
    expect(compatible).toEqual({
      kind: 'openai-compatible',
      available: false,
      keyEnv: 'OPENAI_COMPATIBLE_API_KEY',
      hint: 'set OPENAI_COMPATIBLE_BASE_URL',
    });
  });
});
