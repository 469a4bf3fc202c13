import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { createRouterResolver } from '../../server/providers/create-router-resolver.ts';
import { describeRoles } from '../../server/providers/describe-roles.ts';
import { defineProvider } from '../../src/index.ts';
import { type ConfigLayer, resolveModelsConfig } from '../../src/models/index.ts';
import { createModelCatalog } from '../../src/models/model-catalog.ts';
import { createModelRegistry } from '../../src/models/model-registry.ts';
import type { ModelsConfigFile } from '../../src/models/models-config.ts';
import type { ProviderRuntime } from '../../src/providers/shared/provider-capabilities.ts';
import type { DeploymentConfig } from '../../src/router/deployment.ts';
import { createRouter } from '../../src/router/index.ts';
import { createScriptedProvider, type ScriptedProvider } from '../../src/testing/index.ts';
import { countingSource, fakeModel } from '../models/model-fixtures.ts';
import { answerQuestion, PARIS, testApp } from './helpers.ts';

let app: SignetApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A deployment standing in for a real one: it declares the runtime and answers from a script. */
function standIn(id: string, runtime: ProviderRuntime, model: string, local: boolean) {
  const script = createScriptedProvider({ name: id, model, fallback: PARIS });
  const ai = defineProvider({
    name: runtime,
    model,
    capabilities: {
      runtime,
      device: local ? 'cpu' : 'remote',
      streaming: false,
      structuredOutput: false,
      tools: runtime !== 'onnx',
      embeddings: false,
      contextWindow: 8192,
      maxConcurrency: 4,
      local,
    },
    chat: (req, options) => script.chat(req, options),
    health: async () => ({ ok: true }),
  });
  const deployment: DeploymentConfig = { id, ai, policy: { retry: { maxRetries: 0 } } };
  return { deployment, script };
}

/** What the catalog lists: an unservable cloud model outranks every servable one. */
const catalogModels = [
  fakeModel('onnx:/models/tiny-gpt2', { name: 'tiny-gpt2', contextLength: 1024, tools: false }),
  fakeModel('ollama:qwen2.5:7b', { strengths: { reasoning: 0.62, coding: 0.62, writing: 0.58 } }),
  fakeModel('ollama:llama3.2:1b', { strengths: { reasoning: 0.47, coding: 0.42, writing: 0.52 } }),
  fakeModel('ollama:nomic-embed-text:latest', { chat: false, embeddings: true, tools: false }),
  fakeModel('openai:gpt-4o-mini', {
    local: false,
    needsKey: true,
    keyEnv: 'OPENAI_API_KEY',
    contextLength: 128_000,
    strengths: { reasoning: 0.6, coding: 0.6, writing: 0.6 },
  }),
  fakeModel('anthropic:claude-3-5-sonnet-latest', {
    local: false,
    strengths: { reasoning: 0.95, coding: 0.95, writing: 0.95 },
  }),
];

const profiles: ModelsConfigFile['profiles'] = {
  cloudy: { description: 'cloud planner', roles: { planner: { models: ['openai:*'] } } },
};

interface Setup {
  readonly file?: ModelsConfigFile;
  readonly env?: Record<string, string>;
}

function setup(options: Setup = {}) {
  const onnx = standIn('local-onnx', 'onnx', 'tiny-gpt2', true);
  const ollama = standIn('ollama', 'ollama', 'llama3.2:1b', true);
  const openai = standIn('cloud-openai', 'openai', 'gpt-4o-mini', false);
  const deployments = [onnx.deployment, ollama.deployment, openai.deployment];
  const layers: ConfigLayer[] = [{ where: 'config/user_models.json', data: { profiles, ...options.file } }];
  const config = resolveModelsConfig(layers, { env: options.env ?? {} });
  const catalog = createModelCatalog({ sources: [countingSource('test', async () => catalogModels)] });
  const registry = createModelRegistry({ catalog, config });
  const providers = createRouterResolver(createRouter({ deployments }), deployments, {
    registry,
    models: catalogModels,
  });
  return {
    providers,
    registry,
    deployments,
    scripts: { onnx: onnx.script, ollama: ollama.script, openai: openai.script },
  };
}

async function execute(target: SignetApp, config: Record<string, unknown>) {
  return target.inject({
    method: 'POST',
    url: '/api/v1/dspy/execute',
    payload: { signature: answerQuestion.name, inputs: { question: 'Capital of France?' }, config },
  });
}

function models(script: ScriptedProvider): string[] {
  return script.calls.map((c) => c.model);
}

describe('registry roles over the router', () => {
  it('GET /api/v1/models/roles is an empty list when the server has no model registry', async () => {
    app = await testApp({});
    const res = await app.inject({ method: 'GET', url: '/api/v1/models/roles' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ roles: [] });
  });

  it('GET /api/v1/models/roles shows what each role runs on now and why, and follows a profile', async () => {
    const { providers, registry } = setup({ file: { allowRuntimeSwitch: true } });
    app = await testApp({ providers });
    const roles = async () => {
      const res = await app?.inject({ method: 'GET', url: '/api/v1/models/roles' });
      expect(res?.statusCode).toBe(200);
      const body = res?.json() as { roles: { role: string; chosen?: { id: string; deployment: string } }[] };
      return Object.fromEntries(body.roles.map((r) => [r.role, r]));
    };
    const before = await roles();
    expect(before.planner?.chosen).toEqual({
      id: 'ollama:qwen2.5:7b',
      deployment: 'ollama',
      model: 'qwen2.5:7b',
    });
    expect(before.embedder).toMatchObject({ task: 'embed' });

    registry.setActiveProfile('cloudy');
    const after = await roles();
    expect(after.planner?.chosen).toMatchObject({ id: 'openai:gpt-4o-mini', deployment: 'cloud-openai' });
  });

  it("serves role planner with the registry's choice among the models a deployment can serve", async () => {
    const { providers, scripts } = setup();
    app = await testApp({ providers });
    const res = await execute(app, { role: 'planner' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      outputs: { answer: 'Paris' },
      model: 'qwen2.5:7b',
      provider: 'ollama',
    });
    expect(models(scripts.ollama)).toEqual(['qwen2.5:7b']);
    expect(scripts.openai.calls).toHaveLength(0);
  });

  it('follows the active profile', async () => {
    const { providers, scripts } = setup({ file: { activeProfile: 'cloudy' } });
    app = await testApp({ providers });
    const res = await execute(app, { role: 'planner' });
    expect(res.json()).toMatchObject({ model: 'gpt-4o-mini', provider: 'cloud-openai' });
    expect(models(scripts.openai)).toEqual(['gpt-4o-mini']);
  });

  it('follows an env pin, and SIGNET_PROFILE', () => {
    const pinned = setup({ env: { SIGNET_MODEL_PLANNER: 'ollama:llama3.2:1b' } }).providers;
    expect(pinned.resolve({ role: 'planner' })).toMatchObject({ provider: 'ollama', model: 'llama3.2:1b' });
    const profiled = setup({ env: { SIGNET_PROFILE: 'cloudy' } }).providers;
    expect(profiled.resolve({ role: 'planner' })).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('sends the ONNX deployment its own model when the registry picks its folder', () => {
    const { providers } = setup({ env: { SIGNET_MODEL_CRITIC: 'onnx:/models/tiny-gpt2' } });
    expect(providers.resolve({ role: 'critic' })).toMatchObject({ provider: 'onnx', model: 'tiny-gpt2' });
  });

  it('answers 404 naming the role and why when nothing servable fits it', async () => {
    const { providers } = setup({ file: { roles: { critic: { minContext: 1_000_000 } } } });
    app = await testApp({ providers });
    const res = await execute(app, { role: 'critic' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('SIGNET_MODEL_UNKNOWN');
    expect(res.json().error.message).toMatch(/^no deployment serves role "critic": /);
    expect(res.json().error.message).toContain('no model meets the requirements of role critic');
    expect(res.json().error.message).toContain('ollama:qwen2.5:7b: context 32768 < required 1000000');
  });

  it('refuses an embedding role for executions, naming the roles that fit', async () => {
    const { providers } = setup();
    app = await testApp({ providers });
    const res = await execute(app, { role: 'embedder' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe(
      'role "embedder" chooses embedding models; executions need a text-generation role: critic, executor, planner',
    );
  });

  it('keeps local and cloud roles and unknown roles as before', async () => {
    const { providers, scripts } = setup();
    app = await testApp({ providers });
    expect((await execute(app, { role: 'local' })).json()).toMatchObject({ provider: 'local-onnx' });
    expect((await execute(app, { role: 'cloud' })).json()).toMatchObject({
      provider: 'cloud-openai',
      model: 'gpt-4o-mini',
    });
    expect(models(scripts.onnx)).toEqual(['tiny-gpt2']);
    const unknown = await execute(app, { role: 'nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('no model serves role "nope"; roles: local, cloud');
  });

  it('describes which model each role maps to, for the start-up log', () => {
    const { providers } = setup({ file: { roles: { critic: { minContext: 1_000_000 } } } });
    const line = describeRoles(providers.roles?.() ?? []);
    expect(line).toContain('planner -> ollama:qwen2.5:7b on ollama');
    expect(line).toContain('embedder -> ollama:nomic-embed-text:latest on ollama');
    expect(line).toMatch(/critic -> none \(no model meets the requirements of role critic/);
  });
});
