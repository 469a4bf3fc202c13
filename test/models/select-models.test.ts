import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/models/profiles.ts';
import { defaultRoles, roleSpec, withPin } from '../../src/models/roles.ts';
import { selectModels } from '../../src/models/select-models.ts';
import { fakeModel } from './model-fixtures.ts';

const planner = roleSpec('planner', {
  minContext: 8192,
  minStrength: { reasoning: 0.5 },
  weights: { reasoning: 3, coding: 1, writing: 1 },
});

function reasonsOf(selection: ReturnType<typeof selectModels>, id: string): readonly string[] {
  return selection.candidates.find((c) => c.id === id)?.reasons ?? [];
}

describe('selectModels', () => {
  it('skips models that miss a requirement and says why', () => {
    const models = [
      fakeModel('ollama:small:1b', { contextLength: 4096 }),
      fakeModel('ollama:good:7b', { contextLength: 32768 }),
      fakeModel('ollama:weak:7b', { strengths: { reasoning: 0.3, coding: 0.5, writing: 0.5 } }),
      fakeModel('ollama:nomic-embed-text:latest', { chat: false, embeddings: true }),
      fakeModel('ollama:mystery:latest', { contextLength: undefined }),
    ];
    const selection = selectModels(planner, models);
    expect(selection.chosen?.id).toBe('ollama:good:7b');
    expect(reasonsOf(selection, 'ollama:small:1b')).toContain('context 4096 < required 8192');
    expect(reasonsOf(selection, 'ollama:weak:7b')).toContain('reasoning 0.30 < required 0.5');
    expect(reasonsOf(selection, 'ollama:nomic-embed-text:latest')).toContain(
      'embedding-only model; role needs text generation',
    );
    expect(reasonsOf(selection, 'ollama:mystery:latest')).toContain(
      'context length unknown; role needs 8192',
    );
    expect(selection.candidates.filter((c) => c.eligible).map((c) => c.id)).toEqual(['ollama:good:7b']);
  });

  it('explains the choice and lists the met requirements', () => {
    const selection = selectModels(planner, [fakeModel('ollama:good:7b')]);
    const reasons = reasonsOf(selection, 'ollama:good:7b');
    expect(reasons[0]).toBe('chosen: highest score among models that meet the requirements');
    expect(reasons).toContain('context 32768 >= 8192');
    expect(reasons).toContain('reasoning 0.60 >= 0.5');
    expect(reasons.some((r) => r.startsWith('score 0.600'))).toBe(true);
  });

  it('ranks eligible models by weighted strength, then id', () => {
    const models = [
      fakeModel('ollama:b:7b', { strengths: { reasoning: 0.6, coding: 0.9, writing: 0.9 } }),
      fakeModel('ollama:a:7b', { strengths: { reasoning: 0.9, coding: 0.5, writing: 0.5 } }),
      fakeModel('ollama:c:7b', { strengths: { reasoning: 0.9, coding: 0.5, writing: 0.5 } }),
    ];
    const selection = selectModels(planner, models);
    // a and c: (0.9*3 + 0.5 + 0.5) / 5 = 0.74; b: (0.6*3 + 0.9 + 0.9) / 5 = 0.72
    expect(selection.candidates.map((c) => [c.id, c.score])).toEqual([
      ['ollama:a:7b', 0.74],
      ['ollama:c:7b', 0.74],
      ['ollama:b:7b', 0.72],
    ]);
    expect(selection.candidates[1]?.reasons[0]).toBe('eligible, ranked #2');
  });

  it("prefers the role's listed models in order, patterns included, over the score", () => {
    const role = roleSpec('planner', { models: ['openai:gpt-4o-mini', 'ollama:qwen*'] });
    const models = [
      fakeModel('ollama:llama3.1:70b', { strengths: { reasoning: 0.9, coding: 0.9, writing: 0.9 } }),
      fakeModel('ollama:qwen2.5:7b'),
      fakeModel('openai:gpt-4o-mini', { local: false }),
    ];
    const selection = selectModels(role, models);
    expect(selection.candidates.map((c) => c.id)).toEqual([
      'openai:gpt-4o-mini',
      'ollama:qwen2.5:7b',
      'ollama:llama3.1:70b',
    ]);
    expect(reasonsOf(selection, 'ollama:qwen2.5:7b')).toContain(
      "listed #2 in the role's models (ollama:qwen*)",
    );
    expect(selection.candidates[0]?.reasons[0]).toBe(
      'chosen: first preferred model that meets the requirements',
    );
  });

  it('skips a listed model that misses a requirement', () => {
    const role = roleSpec('planner', { minContext: 8192, models: ['ollama:tiny*'] });
    const selection = selectModels(role, [
      fakeModel('ollama:tiny:1b', { contextLength: 2048 }),
      fakeModel('ollama:ok:7b'),
    ]);
    expect(selection.chosen?.id).toBe('ollama:ok:7b');
  });

  it('checks tools, vision, memory, local-only, keys and the embedding task', () => {
    const strict = roleSpec('strict', { tools: true, vision: true, maxMemory: '2GiB', localOnly: true });
    const selection = selectModels(strict, [
      fakeModel('ollama:big:70b', { memoryBytes: 40 * 1024 ** 3, vision: true }),
      fakeModel('ollama:notools:3b', { tools: false, vision: true, memoryBytes: 1024 ** 3 }),
      fakeModel('openai:gpt-4o', { local: false, vision: true, memoryBytes: undefined }),
      fakeModel('ollama:fits:3b', { vision: true, memoryBytes: 1024 ** 3 }),
    ]);
    expect(selection.chosen?.id).toBe('ollama:fits:3b');
    expect(reasonsOf(selection, 'ollama:big:70b')).toContain('memory 40.0 GiB > limit 2.0 GiB');
    expect(reasonsOf(selection, 'ollama:notools:3b')).toContain('no tool calling; role needs tools');
    expect(reasonsOf(selection, 'openai:gpt-4o')).toContain('remote model; role is local-only');

    const embedder = roleSpec('embedder', defaultRoles.embedder);
    const embedSelection = selectModels(embedder, [
      fakeModel('ollama:llama3.2:3b'),
      fakeModel('openai:text-embedding-3-small', {
        chat: false,
        embeddings: true,
        local: false,
        keyPresent: false,
        needsKey: true,
        keyEnv: 'OPENAI_API_KEY',
      }),
      fakeModel('ollama:nomic-embed-text:latest', { chat: false, embeddings: true }),
    ]);
    expect(embedSelection.chosen?.id).toBe('ollama:nomic-embed-text:latest');
    expect(reasonsOf(embedSelection, 'ollama:llama3.2:3b')).toContain(
      'no embeddings; role needs an embedding model',
    );
    expect(reasonsOf(embedSelection, 'openai:text-embedding-3-small')).toContain('OPENAI_API_KEY is not set');
  });

  it('uses a pinned model even when it misses a soft requirement, saying so', () => {
    const role = withPin(planner, 'ollama:small:1b', 'SIGNET_MODEL_PLANNER');
    const selection = selectModels(role, [
      fakeModel('ollama:good:7b'),
      fakeModel('ollama:small:1b', { contextLength: 4096 }),
    ]);
    expect(selection.chosen?.id).toBe('ollama:small:1b');
    expect(reasonsOf(selection, 'ollama:small:1b')).toEqual(
      expect.arrayContaining([
        'chosen: pinned',
        'pinned by SIGNET_MODEL_PLANNER',
        'pin overrides: context 4096 < required 8192',
      ]),
    );
  });

  it('falls back to the requirements when the pinned model is not available', () => {
    const role = withPin(planner, 'ollama:gone:7b', 'SIGNET_MODEL_PLANNER');
    const selection = selectModels(role, [fakeModel('ollama:good:7b')]);
    expect(selection.chosen?.id).toBe('ollama:good:7b');
    expect(selection.notes).toContain(
      'pinned model ollama:gone:7b (SIGNET_MODEL_PLANNER) is not available; chose by requirements instead',
    );
  });

  it('never uses a pinned model that cannot run the role (missing key)', () => {
    const role = withPin(planner, 'openai:gpt-4o', 'runtime assignment');
    const selection = selectModels(role, [
      fakeModel('openai:gpt-4o', {
        local: false,
        needsKey: true,
        keyPresent: false,
        keyEnv: 'OPENAI_API_KEY',
      }),
      fakeModel('ollama:good:7b'),
    ]);
    expect(selection.chosen?.id).toBe('ollama:good:7b');
    expect(selection.notes[0]).toContain('cannot be used (OPENAI_API_KEY is not set)');
  });

  it("applies a profile's overrides for the role and notes them", () => {
    const coding: Profile = {
      name: 'coding',
      description: undefined,
      roles: { planner: { minContext: 65536, weights: { reasoning: 0, coding: 1, writing: 0 } } },
    };
    const models = [
      fakeModel('ollama:thinker:7b', {
        contextLength: 131072,
        strengths: { reasoning: 0.9, coding: 0.5, writing: 0.6 },
      }),
      fakeModel('ollama:coder:7b', {
        contextLength: 131072,
        strengths: { reasoning: 0.6, coding: 0.9, writing: 0.4 },
      }),
      fakeModel('ollama:short:7b', {
        contextLength: 32768,
        strengths: { reasoning: 0.9, coding: 0.95, writing: 0.9 },
      }),
    ];
    expect(selectModels(planner, models).chosen?.id).toBe('ollama:short:7b');
    const selection = selectModels(planner, models, coding);
    expect(selection.chosen?.id).toBe('ollama:coder:7b');
    expect(selection.role.minContext).toBe(65536);
    expect(reasonsOf(selection, 'ollama:short:7b')).toContain('context 32768 < required 65536');
    expect(selection.notes).toContain('profile coding overrides minContext, weights');
  });

  it('reports when nothing qualifies', () => {
    const selection = selectModels(planner, [fakeModel('ollama:small:1b', { contextLength: 2048 })]);
    expect(selection.chosen).toBeUndefined();
    expect(selection.notes).toContain('no model meets the requirements of role planner');
  });
});
