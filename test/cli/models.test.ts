import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/cli-io.ts';
import { defaultModelsCommandDeps, registerModelsCommands } from '../../cli/commands/models.ts';
import { SignetError } from '../../src/errors/signet-error.ts';
import type { OllamaLister } from '../../src/models/create-model-sources.ts';

let root: string;

async function fakeOnnxModel(name: string, config: object, bytes: number): Promise<string> {
  const dir = join(root, 'models', name);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'tokenizer.json'), '{}');
  await writeFile(join(dir, 'onnx', 'model_quantized.onnx'), Buffer.alloc(bytes));
  return dir;
}

const baseConfig = {
  onnx: { dirs: ['models'] },
  cloudModels: {
    'openai:gpt-4o-mini': { contextLength: 128000, tools: true },
    'anthropic:claude-3-5-haiku-latest': { contextLength: 200000, tools: true },
  },
  roles: { planner: { minContext: 8192, minStrength: { reasoning: 0.5 } } },
  profiles: {
    coding: {
      description: 'code first',
      roles: { planner: { models: ['onnx:*'], minContext: 1024, minStrength: { reasoning: 0 } } },
    },
    writing: { description: 'prose first' },
  },
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-cli-models-'));
  await mkdir(join(root, 'config'));
  await writeFile(join(root, 'config', 'models.json'), JSON.stringify(baseConfig));
  await fakeOnnxModel(
    'tiny-qwen',
    { model_type: 'qwen2', max_position_embeddings: 2048, hidden_size: 64, num_hidden_layers: 2 },
    2048,
  );
  await fakeOnnxModel('minilm', { model_type: 'bert', max_position_embeddings: 512 }, 1024);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

interface RunOptions {
  env?: Record<string, string>;
  listOllama?: OllamaLister;
}

async function run(args: string[], options: RunOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const program = new Command('signet')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  const env = options.env ?? { OPENAI_API_KEY: 'sk-cli-secret' };
  registerModelsCommands(
    program,
    defaultModelsCommandDeps(io, {
      root,
      env,
      ...(options.listOllama === undefined ? {} : { listOllama: options.listOllama }),
    }),
  );
  await program.parseAsync(['models', ...args], { from: 'user' });
  return { out: out.join('\n'), err: err.join('\n') };
}

async function rejection(promise: Promise<unknown>): Promise<SignetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SignetError.is(error)) throw new Error(`expected a SignetError, got ${String(error)}`);
  return error;
}

describe('signet models', () => {
  it('list shows local models and the cloud models whose key is set, never the key', async () => {
    const { out } = await run(['list']);
    expect(out).toMatch(/^ID\s+CONTEXT\s+PARAMS\s+QUANT\s+MEMORY\s+CAPS\s+WHERE/);
    expect(out).toMatch(
      new RegExp(
        `onnx:${join(root, 'models', 'tiny-qwen')}\\s+2048\\s+\\S+\\s+q8\\s+2\\.0 KiB\\s+chat\\s+local`,
      ),
    );
    expect(out).toMatch(/onnx:\S+minilm\s+512\s+-\s+q8\s+1\.0 KiB\s+embed\s+local/);
    expect(out).toMatch(
      /openai:gpt-4o-mini\s+128000\s+-\s+-\s+-\s+chat,tools\s+remote \(OPENAI_API_KEY set\)/,
    );
    expect(out).not.toContain('anthropic:');
    expect(out).not.toContain('sk-cli-secret');
  });

  it('list --json prints the listing and source failures as JSON', async () => {
    const listOllama: OllamaLister = async () => {
      throw new SignetError('SIGNET_PROVIDER_UNAVAILABLE', 'ollama: connect ECONNREFUSED 127.0.0.1:11434');
    };
    const { out } = await run(['list', '--json'], { listOllama });
    const listing = JSON.parse(out) as {
      models: { id: string }[];
      errors: { source: string; code: string }[];
    };
    expect(listing.models.map((m) => m.id)).toContain('openai:gpt-4o-mini');
    expect(listing.errors).toEqual([
      expect.objectContaining({ source: 'ollama', code: 'SIGNET_PROVIDER_UNAVAILABLE' }),
    ]);
    expect(out).not.toContain('sk-cli-secret');
  });

  it('list warns about a failing source on stderr and still lists the others', async () => {
    const listOllama: OllamaLister = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:11434');
    };
    const { out, err } = await run(['list'], { listOllama });
    expect(out).toContain('openai:gpt-4o-mini');
    expect(err).toBe('warning: source ollama failed: connect ECONNREFUSED 127.0.0.1:11434');
  });

  it('search finds models by words in their id, family or quantization', async () => {
    const { out } = await run(['search', 'qwen', 'q8']);
    expect(out).toContain('tiny-qwen');
    expect(out).not.toContain('minilm');
    expect((await run(['search', 'nothing-like-this'])).out).toBe('no model matches "nothing-like-this"');
  });

  it('role shows the chosen model and why each candidate was chosen or skipped', async () => {
    const { out } = await run(['role', 'planner']);
    expect(out).toContain('role planner');
    expect(out).toContain('requires: text generation, context >= 8192, reasoning >= 0.5');
    expect(out).toContain('chosen: openai:gpt-4o-mini');
    expect(out).toContain('chosen: highest score among models that meet the requirements');
    expect(out).toContain('context 2048 < required 8192');
    expect(out).toContain('embedding-only model; role needs text generation');
  });

  it('role --json gives the chosen id and every candidate with reasons', async () => {
    const { out } = await run(['role', 'planner', '--json']);
    const choice = JSON.parse(out) as {
      chosen: string;
      candidates: { id: string; eligible: boolean; reasons: string[] }[];
    };
    expect(choice.chosen).toBe('openai:gpt-4o-mini');
    const skipped = choice.candidates.find((c) => c.id.endsWith('tiny-qwen'));
    expect(skipped?.eligible).toBe(false);
    expect(skipped?.reasons).toContain('context 2048 < required 8192');
  });

  it('role follows the active profile', async () => {
    const { out } = await run(['role', 'planner'], {
      env: { OPENAI_API_KEY: 'k', SIGNET_PROFILE: 'coding' },
    });
    expect(out).toContain('profile: coding');
    expect(out).toMatch(/chosen: onnx:\S+tiny-qwen/);
    expect(out).toContain('note: profile coding overrides minContext, minStrength, models');
  });

  it('role rejects an unknown role with a suggestion', async () => {
    const error = await rejection(run(['role', 'planer']));
    expect(error.code).toBe('SIGNET_ROLE_NOT_FOUND');
    expect(error.message).toContain('Did you mean "planner"?');
  });

  it('profile use writes activeProfile into config/user_models.json, keeping the other keys', async () => {
    const userFile = join(root, 'config', 'user_models.json');
    await writeFile(userFile, JSON.stringify({ allowRuntimeSwitch: true }));
    const { out } = await run(['profile', 'use', 'coding']);
    expect(out).toBe('active profile: coding (written to config/user_models.json)');
    expect(JSON.parse(await readFile(userFile, 'utf8'))).toEqual({
      allowRuntimeSwitch: true,
      activeProfile: 'coding',
    });
    const listed = await run(['profiles']);
    expect(listed.out).toBe(
      [
        '* coding - code first',
        '  writing - prose first',
        'active profile set by config/user_models.json',
      ].join('\n'),
    );
  });

  it('profile use creates the user file and warns when SIGNET_PROFILE overrides it', async () => {
    const { err } = await run(['profile', 'use', 'writing'], { env: { SIGNET_PROFILE: 'coding' } });
    expect(JSON.parse(await readFile(join(root, 'config', 'user_models.json'), 'utf8'))).toEqual({
      activeProfile: 'writing',
    });
    expect(err).toContain('SIGNET_PROFILE is set and overrides config/user_models.json');
  });

  it('profile use refuses an unknown profile and leaves the files alone', async () => {
    const error = await rejection(run(['profile', 'use', 'codng']));
    expect(error.code).toBe('SIGNET_PROFILE_NOT_FOUND');
    expect(error.message).toContain('Did you mean "coding"?');
    await expect(readFile(join(root, 'config', 'user_models.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('reports a bad config file with its key path', async () => {
    await writeFile(
      join(root, 'config', 'user_models.json'),
      JSON.stringify({ roles: { planner: { minContext: 'big' } } }),
    );
    const error = await rejection(run(['list']));
    expect(error.code).toBe('SIGNET_CONFIG_INVALID');
    expect(error.message).toBe(
      'config/user_models.json: roles.planner.minContext: expected number, received string "big"',
    );
  });
});
