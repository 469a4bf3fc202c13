import { describe, expect, it } from 'vitest';
import { SignetError } from '../../src/errors/signet-error.ts';
import { type ConfigLayer, resolveModelsConfig } from '../../src/models/index.ts';
import { createModelCatalog } from '../../src/models/model-catalog.ts';
import { createModelRegistry } from '../../src/models/model-registry.ts';
import type { ModelsConfigFile } from '../../src/models/models-config.ts';
import { countingSource, fakeModel } from './model-fixtures.ts';

const models = [
  fakeModel('ollama:qwen2.5:7b', { strengths: { reasoning: 0.62, coding: 0.62, writing: 0.58 } }),
  fakeModel('ollama:llama3.2:1b', {
    contextLength: 4096,
    strengths: { reasoning: 0.47, coding: 0.42, writing: 0.52 },
  }),
  fakeModel('ollama:nomic-embed-text:latest', { chat: false, embeddings: true, tools: false }),
];

function registryWith(file: ModelsConfigFile, env: Record<string, string> = {}) {
  const layers: ConfigLayer[] = [{ where: 'config/user_models.json', data: file }];
  const config = resolveModelsConfig(layers, { env });
  const source = countingSource('test', async () => models);
  const catalog = createModelCatalog({ sources: [source] });
  return { registry: createModelRegistry({ catalog, config }), source };
}

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<SignetError> {
  const run = typeof promise === 'function' ? Promise.resolve().then(promise) : promise;
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SignetError.is(error)) throw new Error(`expected a SignetError, got ${String(error)}`);
  return error;
}

const profiles: ModelsConfigFile['profiles'] = {
  small: {
    description: 'tiny models only',
    roles: { planner: { minContext: 2048, minStrength: { reasoning: 0 }, models: ['ollama:llama*'] } },
  },
};

describe('model registry', () => {
  it('chooses a model for a role from the catalog and explains every candidate', async () => {
    const { registry } = registryWith({});
    const choice = await registry.role('planner');
    expect(choice.chosen?.id).toBe('ollama:qwen2.5:7b');
    expect(choice.candidates.find((c) => c.id === 'ollama:llama3.2:1b')?.reasons).toContain(
      'context 4096 < required 8192',
    );
    expect((await registry.role('embedder')).chosen?.id).toBe('ollama:nomic-embed-text:latest');
  });

  it('applies the active profile', async () => {
    const { registry } = registryWith({ profiles, activeProfile: 'small' });
    const choice = await registry.role('planner');
    expect(choice.chosen?.id).toBe('ollama:llama3.2:1b');
    expect(choice.notes).toContain('profile small overrides minContext, minStrength, models');
    expect(registry.profiles()).toEqual([
      { name: 'small', description: 'tiny models only', active: true, roles: ['planner'] },
    ]);
  });

  it('refuses runtime switches unless allowRuntimeSwitch is on', async () => {
    const { registry } = registryWith({ profiles });
    const assign = await rejection(registry.assign('planner', 'ollama:llama3.2:1b'));
    expect(assign.code).toBe('SIGNET_MODEL_SWITCH_DISABLED');
    expect(assign.statusCode).toBe(403);
    expect(assign.message).toContain('SIGNET_ALLOW_MODEL_SWITCH=1');
    expect((await rejection(() => registry.setActiveProfile('small'))).code).toBe(
      'SIGNET_MODEL_SWITCH_DISABLED',
    );
    expect((await rejection(() => registry.unassign('planner'))).code).toBe('SIGNET_MODEL_SWITCH_DISABLED');
    expect(registry.activeProfile()).toBeUndefined();
    expect((await registry.role('planner')).chosen?.id).toBe('ollama:qwen2.5:7b');
  });

  it("switches a role's model at runtime when allowed, above every config layer", async () => {
    const { registry } = registryWith(
      { allowRuntimeSwitch: true },
      { SIGNET_MODEL_PLANNER: 'ollama:qwen2.5:7b' },
    );
    expect((await registry.role('planner')).role.pinnedBy).toBe('SIGNET_MODEL_PLANNER');
    await registry.assign('planner', 'ollama:llama3.2:1b');
    const choice = await registry.role('planner');
    expect(choice.chosen?.id).toBe('ollama:llama3.2:1b');
    expect(choice.candidates[0]?.reasons).toContain('pinned by runtime assignment');
    expect(registry.assignments()).toEqual({ planner: 'ollama:llama3.2:1b' });
    registry.unassign('planner');
    expect((await registry.role('planner')).role.pinnedBy).toBe('SIGNET_MODEL_PLANNER');
  });

  it('enables runtime switching from the environment', async () => {
    const { registry } = registryWith({ profiles }, { SIGNET_ALLOW_MODEL_SWITCH: '1' });
    registry.setActiveProfile('small');
    expect(registry.activeProfile()).toBe('small');
    expect((await registry.role('planner')).chosen?.id).toBe('ollama:llama3.2:1b');
    registry.setActiveProfile(undefined);
    expect((await registry.role('planner')).chosen?.id).toBe('ollama:qwen2.5:7b');
  });

  it('rejects unknown roles, profiles and models with suggestions', async () => {
    const { registry } = registryWith({ profiles, allowRuntimeSwitch: true });
    const role = await rejection(registry.role('planer'));
    expect([role.code, role.statusCode]).toEqual(['SIGNET_ROLE_NOT_FOUND', 404]);
    expect(role.message).toContain('Did you mean "planner"?');
    const profile = await rejection(() => registry.setActiveProfile('smal'));
    expect([profile.code, profile.message]).toEqual([
      'SIGNET_PROFILE_NOT_FOUND',
      'no profile named "smal". Did you mean "small"?',
    ]);
    const model = await rejection(registry.assign('planner', 'ollama:qwen2.5:7'));
    expect(model.code).toBe('SIGNET_MODEL_UNKNOWN');
    expect(model.message).toContain('Did you mean "ollama:qwen2.5:7b"');
  });

  it('applies configured capability overrides before selecting', async () => {
    const { registry } = registryWith({
      modelOverrides: { 'ollama:llama3.2:1b': { contextLength: 131072, strengths: { reasoning: 0.9 } } },
    });
    const choice = await registry.role('planner');
    expect(choice.chosen?.id).toBe('ollama:llama3.2:1b');
  });

  it('selects from the warm cache without asking the sources again', async () => {
    const { registry, source } = registryWith({});
    await registry.role('planner');
    await registry.role('critic');
    await registry.role('executor');
    expect(source.calls()).toBe(1);
  });

  it('passes source failures along with the choice', async () => {
    const config = resolveModelsConfig([], {});
    const down = countingSource('ollama', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:11434');
    });
    const up = countingSource('onnx', async () => models);
    const registry = createModelRegistry({ catalog: createModelCatalog({ sources: [down, up] }), config });
    const choice = await registry.role('planner');
    expect(choice.chosen?.id).toBe('ollama:qwen2.5:7b');
    expect(choice.sourceErrors.map((e) => e.source)).toEqual(['ollama']);
  });
});
