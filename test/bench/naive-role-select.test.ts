import { describe, expect, it } from 'vitest';
import { createNaiveSelector } from '../../bench/suites/naive-role-select.ts';
import { syntheticModels } from '../../bench/suites/synthetic-models.ts';
import { defaultRoles, roleSpec, selectModels, withRoleConfig } from '../../src/models/index.ts';

const models = syntheticModels(200);

describe('syntheticModels', () => {
  it('is deterministic for a seed and varied enough to exercise every check', () => {
    expect(syntheticModels(200)).toEqual(models);
    expect(new Set(models.map((m) => m.id)).size).toBe(200);
    expect(models.some((m) => m.embeddings && !m.chat)).toBe(true);
    expect(models.some((m) => m.needsKey && !m.keyPresent)).toBe(true);
    expect(models.some((m) => m.contextLength === undefined)).toBe(true);
    expect(models.some((m) => !m.tools)).toBe(true);
  });
});

describe('createNaiveSelector', () => {
  const roles = {
    ...Object.fromEntries(
      Object.entries(defaultRoles).map(([name, config]) => [name, roleSpec(name, config)]),
    ),
    preferring: withRoleConfig(roleSpec('preferring'), {
      tools: true,
      models: ['ollama:qwen2.5-coder*', 'openai:*'],
    }),
    picky: withRoleConfig(roleSpec('picky'), {
      localOnly: true,
      vision: true,
      maxMemory: '20GB',
      minContext: 8192,
      minStrength: { coding: 0.6, writing: 0.3 },
    }),
    impossible: withRoleConfig(roleSpec('impossible'), { minContext: 10_000_000 }),
  };

  for (const [name, role] of Object.entries(roles)) {
    it(`picks the same model as selectModels for role ${name}`, () => {
      expect(createNaiveSelector(role)(models)?.id).toBe(selectModels(role, models).chosen?.id);
    });
  }
});
