import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignetError } from '../../src/errors/signet-error.ts';
import { loadModelsConfig } from '../../src/models/load-models-config.ts';
import { createModelCatalog } from '../../src/models/model-catalog.ts';
import { createModelRegistry } from '../../src/models/model-registry.ts';
import { defaultRoles } from '../../src/models/roles.ts';

let root: string;
let configDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-models-config-'));
  configDir = join(root, 'config');
  await mkdir(configDir);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeConfig(name: string, content: unknown): Promise<void> {
  await writeFile(
    join(configDir, name),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );
}

async function load(env: Record<string, string> = {}) {
  return loadModelsConfig({ configDir, env });
}

async function failure(env: Record<string, string> = {}): Promise<SignetError> {
  const error = await load(env).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SignetError.is(error)) throw new Error(`expected a SignetError, got ${String(error)}`);
  expect(error.code).toBe('SIGNET_CONFIG_INVALID');
  return error;
}

async function plannerSpec(env: Record<string, string> = {}) {
  const config = await load(env);
  return createModelRegistry({ catalog: createModelCatalog({ sources: [] }), config }).roleSpec('planner');
}

const defaults = {
  roles: { planner: { minContext: 16384, model: 'ollama:from-defaults:7b' } },
  profiles: {
    coding: { roles: { planner: { minContext: 32768, model: 'ollama:from-profile:7b' } } },
    writing: {},
  },
};

describe('loadModelsConfig layering', () => {
  it('uses the built-in roles when there are no files', async () => {
    const config = await load();
    expect(config.roles).toEqual(defaultRoles);
    expect(config.layers).toEqual(['built-in defaults']);
    expect(config.allowRuntimeSwitch).toBe(false);
    expect(config.cacheTtlMs).toBe(300_000);
  });

  it('lets each layer override the previous: built-in < models.json < user_models.json < profile < env', async () => {
    expect((await plannerSpec()).minContext).toBe(8192); // built-in

    await writeConfig('models.json', defaults);
    expect(await plannerSpec()).toMatchObject({
      minContext: 16384,
      model: 'ollama:from-defaults:7b',
      pinnedBy: 'config',
    });

    await writeConfig('user_models.json', {
      roles: { planner: { minContext: 20000, model: 'ollama:from-user:7b' } },
    });
    expect(await plannerSpec()).toMatchObject({ minContext: 20000, model: 'ollama:from-user:7b' });

    await writeConfig('user_models.json', {
      activeProfile: 'coding',
      roles: { planner: { minContext: 20000, model: 'ollama:from-user:7b' } },
    });
    expect(await plannerSpec()).toMatchObject({
      minContext: 32768,
      model: 'ollama:from-profile:7b',
      pinnedBy: 'profile coding',
      profile: 'coding',
    });

    expect(await plannerSpec({ SIGNET_MODEL_PLANNER: 'ollama:from-env:7b' })).toMatchObject({
      minContext: 32768,
      model: 'ollama:from-env:7b',
      pinnedBy: 'SIGNET_MODEL_PLANNER',
    });
  });

  it('merges objects key by key and keeps fields a higher layer does not set', async () => {
    await writeConfig('models.json', {
      roles: { planner: { minStrength: { reasoning: 0.5, coding: 0.4 } } },
    });
    await writeConfig('user_models.json', { roles: { planner: { minStrength: { coding: 0.7 } } } });
    const spec = await plannerSpec();
    expect(spec.minStrength).toEqual({ reasoning: 0.5, coding: 0.7 });
    expect(spec.weights).toEqual({ reasoning: 3, coding: 1, writing: 1 }); // from the built-in planner
  });

  it('lets the environment choose the profile and the runtime switch over the files', async () => {
    await writeConfig('models.json', { ...defaults, activeProfile: 'coding', allowRuntimeSwitch: false });
    const fromFiles = await load();
    expect([fromFiles.activeProfile, fromFiles.activeProfileFrom]).toEqual(['coding', 'config/models.json']);
    const fromEnv = await load({ SIGNET_PROFILE: 'writing', SIGNET_ALLOW_MODEL_SWITCH: 'true' });
    expect([fromEnv.activeProfile, fromEnv.activeProfileFrom, fromEnv.allowRuntimeSwitch]).toEqual([
      'writing',
      'SIGNET_PROFILE',
      true,
    ]);
    expect(fromEnv.layers).toEqual([
      'built-in defaults',
      'config/models.json',
      'profile writing (from SIGNET_PROFILE)',
      'SIGNET_ALLOW_MODEL_SWITCH',
    ]);
  });

  it('lets a user file clear the default active profile with null', async () => {
    await writeConfig('models.json', { ...defaults, activeProfile: 'coding' });
    await writeConfig('user_models.json', { activeProfile: null });
    expect((await load()).activeProfile).toBeUndefined();
  });

  it('resolves cloud models: default key variables, disabled entries dropped, explicit keyEnv', async () => {
    await writeConfig('models.json', {
      cloudModels: {
        'openai:gpt-4o-mini': { contextLength: 128000, tools: true },
        'gemini:gemini-2.0-flash': { contextLength: 1048576 },
        'acme:model-x': { keyEnv: 'ACME_KEY' },
      },
    });
    await writeConfig('user_models.json', { cloudModels: { 'gemini:gemini-2.0-flash': { enabled: false } } });
    const config = await load();
    expect(config.cloudModels.map((m) => [m.id, m.provider, m.name, m.keyEnv])).toEqual([
      ['openai:gpt-4o-mini', 'openai', 'gpt-4o-mini', ['OPENAI_API_KEY']],
      ['acme:model-x', 'acme', 'model-x', ['ACME_KEY']],
    ]);
  });

  it('resolves ONNX folders against the project root', async () => {
    await writeConfig('models.json', { onnx: { dirs: ['models', '/abs/models'] } });
    expect((await load()).onnx.dirs).toEqual([join(root, 'models'), '/abs/models']);
  });
});

describe('loadModelsConfig errors', () => {
  it('names the file, the exact key path and why for a wrong type', async () => {
    await writeConfig('user_models.json', { roles: { planner: { minContext: '8k' } } });
    const error = await failure();
    expect(error.message).toBe(
      'config/user_models.json: roles.planner.minContext: expected number, received string "8k"',
    );
    expect(error.issues).toEqual([
      {
        path: ['roles', 'planner', 'minContext'],
        code: 'invalid_type',
        message: 'expected number, received string "8k"',
      },
    ]);
    expect(error.statusCode).toBe(500);
    expect(error.retryable).toBe(false);
  });

  it('reports every problem of a file, with suggestions for misspelled keys', async () => {
    await writeConfig('models.json', {
      roles: { planner: { minContxt: 8192, minStrength: { reasoning: 1.5 }, task: 'write' } },
      profile: 'coding',
    });
    const error = await failure();
    expect(error.message.startsWith('config/models.json: ')).toBe(true);
    expect(error.message).toContain('roles.planner.minContxt: unknown key (did you mean "minContext"?)');
    expect(error.message).toContain(
      'roles.planner.minStrength.reasoning: expected a number <= 1, received number 1.5',
    );
    expect(error.message).toContain(
      'roles.planner.task: expected one of "chat", "embed", received string "write"',
    );
    expect(error.message).toContain('profile: unknown key (did you mean "profiles"?)');
    expect(error.issues).toHaveLength(4);
  });

  it('says where a JSON syntax error is', async () => {
    await writeConfig('user_models.json', '{\n  "allowRuntimeSwitch": true,\n}\n');
    const error = await failure();
    expect(error.message).toMatch(/^config\/user_models\.json: invalid JSON at line 3, column 1: /);
  });

  it('rejects a root that is not an object, and integers that are fractions', async () => {
    await writeConfig('user_models.json', '[]');
    expect((await failure()).message).toBe('config/user_models.json: expected object, received array');
    await writeConfig('user_models.json', { cacheTtlMs: 1.5 });
    expect((await failure()).message).toBe(
      'config/user_models.json: cacheTtlMs: expected an integer, received number 1.5',
    );
  });

  it('blames the file that refers to an unknown role or profile', async () => {
    await writeConfig('models.json', defaults);
    await writeConfig('user_models.json', { profiles: { coding: { roles: { planer: { minContext: 1 } } } } });
    expect((await failure()).message).toBe(
      'config/user_models.json: profiles.coding.roles.planer: unknown role (did you mean "planner"?)',
    );
    await writeConfig('user_models.json', { activeProfile: 'codng' });
    expect((await failure()).message).toBe(
      'config/user_models.json: activeProfile: unknown profile "codng" (did you mean "coding"?)',
    );
  });

  it('rejects bad environment variables by name', async () => {
    await writeConfig('models.json', defaults);
    expect((await failure({ SIGNET_ALLOW_MODEL_SWITCH: 'maybe' })).message).toBe(
      'environment: SIGNET_ALLOW_MODEL_SWITCH: expected 1, 0, true or false, received "maybe"',
    );
    expect((await failure({ SIGNET_PROFILE: 'writng' })).message).toBe(
      'environment: SIGNET_PROFILE: unknown profile "writng" (did you mean "writing"?)',
    );
    expect((await failure({ SIGNET_MODEL_PLANER: 'ollama:x:1b' })).message).toBe(
      'environment: SIGNET_MODEL_PLANER: no role "planer" to pin (did you mean "planner"?)',
    );
  });

  it('requires keyEnv for a cloud provider without a default key variable', async () => {
    await writeConfig('models.json', { cloudModels: { 'acme:model-x': { contextLength: 1000 } } });
    expect((await failure()).message).toBe(
      'config/models.json: cloudModels.acme:model-x.keyEnv: required: provider "acme" has no default key variable',
    );
  });

  it('refuses YAML files instead of ignoring them', async () => {
    await writeConfig('user_models.yaml', 'activeProfile: coding\n');
    const error = await failure();
    expect(error.message).toContain('config/user_models.yaml: YAML config is not supported');
    expect(error.message).toContain('user_models.json');
  });
});

describe('the shipped config/models.json', () => {
  const shippedDir = fileURLToPath(new URL('../../config/', import.meta.url));

  it('loads, defines the coding, writing and research profiles, and keeps the built-in roles', async () => {
    const config = await loadModelsConfig({ configDir: shippedDir, env: {} });
    expect(Object.keys(config.profiles).sort()).toEqual(['coding', 'research', 'writing']);
    for (const [name, role] of Object.entries(defaultRoles)) expect(config.roles[name]).toMatchObject(role);
    expect(config.cloudModels.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        'openai:gpt-4o-mini',
        'anthropic:claude-3-5-haiku-latest',
        'gemini:gemini-2.0-flash',
      ]),
    );
    expect(config.allowRuntimeSwitch).toBe(false);
  });
});
