import { describe, expect, it } from 'vitest';
import { type CloudModelSpec, cloudModelsSource } from '../../src/models/cloud-models-source.ts';

const spec = (id: string, keyEnv: string[], extra: Partial<CloudModelSpec> = {}): CloudModelSpec => ({
  id,
  provider: id.slice(0, id.indexOf(':')),
  name: id.slice(id.indexOf(':') + 1),
  keyEnv,
  contextLength: 128000,
  chat: true,
  tools: true,
  vision: false,
  embeddings: false,
  strengths: undefined,
  ...extra,
});

const models = [
  spec('openai:gpt-4o-mini', ['OPENAI_API_KEY']),
  spec('anthropic:claude-3-5-haiku-latest', ['ANTHROPIC_API_KEY']),
  spec('gemini:gemini-2.0-flash', ['GEMINI_API_KEY', 'GOOGLE_API_KEY']),
];
const signal = new AbortController().signal;

describe('cloudModelsSource', () => {
  it('lists only the models whose key variable is set and non-empty', async () => {
    const env = { OPENAI_API_KEY: 'sk-test-123', ANTHROPIC_API_KEY: '  ', GOOGLE_API_KEY: 'g-key' };
    const listed = await cloudModelsSource({ models, env }).list(signal);
    expect(listed.map((m) => [m.id, m.keyEnv])).toEqual([
      ['openai:gpt-4o-mini', 'OPENAI_API_KEY'],
      ['gemini:gemini-2.0-flash', 'GOOGLE_API_KEY'],
    ]);
    expect(listed.every((m) => m.needsKey && m.keyPresent && !m.local)).toBe(true);
  });

  it('never puts a key value into what it lists', async () => {
    const listed = await cloudModelsSource({ models, env: { OPENAI_API_KEY: 'sk-secret-value-42' } }).list(
      signal,
    );
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('sk-secret-value-42');
  });

  it('can also list models without a key, marked keyPresent false', async () => {
    const listed = await cloudModelsSource({ models, env: {}, includeWithoutKey: true }).list(signal);
    expect(listed.map((m) => [m.id, m.keyPresent, m.keyEnv])).toEqual([
      ['openai:gpt-4o-mini', false, 'OPENAI_API_KEY'],
      ['anthropic:claude-3-5-haiku-latest', false, 'ANTHROPIC_API_KEY'],
      ['gemini:gemini-2.0-flash', false, 'GEMINI_API_KEY'],
    ]);
  });

  it('takes heuristic strengths by family and lets configured ones win', async () => {
    const configured = [spec('openai:gpt-4o-mini', ['K'], { strengths: { coding: 0.9 } })];
    const [model] = await cloudModelsSource({ models: configured, env: { K: 'x' } }).list(signal);
    expect(model?.strengths).toEqual({ reasoning: 0.72, coding: 0.9, writing: 0.75 });
  });

  it('reads the environment at each listing', async () => {
    const env: Record<string, string | undefined> = {};
    const source = cloudModelsSource({ models, env });
    expect(await source.list(signal)).toEqual([]);
    env.ANTHROPIC_API_KEY = 'a-key';
    expect((await source.list(signal)).map((m) => m.id)).toEqual(['anthropic:claude-3-5-haiku-latest']);
  });
});
