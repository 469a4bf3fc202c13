import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onnxFolderSource } from '../../src/models/onnx-folder-source.ts';
import { generateTinyCausalLM, generateTinyEncoder } from '../../src/testing/tiny-models/index.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-onnx-source-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fakeModelFolder(
  dir: string,
  config: unknown,
  onnxFiles: Record<string, number>,
): Promise<void> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'tokenizer.json'), '{}');
  for (const [name, bytes] of Object.entries(onnxFiles))
    await writeFile(join(dir, 'onnx', name), Buffer.alloc(bytes));
}

const list = (dirs: string[]) => onnxFolderSource({ dirs }).list(new AbortController().signal);

describe('onnxFolderSource', () => {
  it('describes a model folder from config.json and its .onnx file sizes', async () => {
    const folder = join(root, 'Qwen2.5-0.5B-Instruct');
    await fakeModelFolder(
      folder,
      {
        model_type: 'qwen2',
        hidden_size: 896,
        num_hidden_layers: 24,
        vocab_size: 151936,
        max_position_embeddings: 32768,
      },
      { 'model.onnx': 4000, 'model_quantized.onnx': 1000, 'model_fp16.onnx': 2000 },
    );
    const [model, ...rest] = await list([root]);
    expect(rest).toEqual([]);
    expect(model).toMatchObject({
      id: `onnx:${folder}`,
      provider: 'onnx',
      name: 'Qwen2.5-0.5B-Instruct',
      source: 'onnx',
      family: 'qwen2',
      contextLength: 32768,
      parameterCount: 12 * 24 * 896 ** 2 + 151936 * 896,
      quantization: 'q8',
      memoryBytes: 1000,
      chat: true,
      embeddings: false,
      local: true,
      needsKey: false,
    });
    expect(model?.strengths.reasoning).toBeLessThan(0.62); // qwen, shifted down for a sub-1B model
  });

  it('reads GPT-2 style keys (n_positions, n_embd, n_layer) and sums external data files', async () => {
    const folder = join(root, 'gpt2ish');
    await fakeModelFolder(
      folder,
      { model_type: 'gpt2', n_embd: 32, n_layer: 2, n_positions: 1024, vocab_size: 300 },
      { 'model.onnx': 100, 'model.onnx_data': 900 },
    );
    const [model] = await list([folder]);
    expect(model).toMatchObject({
      contextLength: 1024,
      parameterCount: 12 * 2 * 32 ** 2 + 300 * 32,
      memoryBytes: 1000,
      quantization: 'fp32',
    });
  });

  it('finds folders two levels down (org/name) and ignores folders that are not models', async () => {
    await fakeModelFolder(
      join(root, 'onnx-community', 'tiny'),
      { model_type: 'llama' },
      { 'model_q4.onnx': 10 },
    );
    await mkdir(join(root, 'notes'), { recursive: true });
    await writeFile(join(root, 'notes', 'config.json'), '{}'); // no tokenizer, no onnx/
    await mkdir(join(root, 'no-onnx'), { recursive: true });
    await writeFile(join(root, 'no-onnx', 'config.json'), '{}');
    await writeFile(join(root, 'no-onnx', 'tokenizer.json'), '{}');
    const models = await list([root]);
    expect(models.map((m) => m.name)).toEqual(['tiny']);
    expect(models[0]?.quantization).toBe('q4');
  });

  it('marks encoder architectures as embedding models', async () => {
    await fakeModelFolder(
      join(root, 'minilm'),
      { model_type: 'bert', max_position_embeddings: 512 },
      { 'model.onnx': 10 },
    );
    const [model] = await list([root]);
    expect(model).toMatchObject({ embeddings: true, chat: false, contextLength: 512 });
  });

  it('leaves unknown numbers undefined instead of guessing', async () => {
    await fakeModelFolder(join(root, 'mystery'), { model_type: 'something-new' }, { 'model.onnx': 10 });
    const [model] = await list([root]);
    expect(model).toMatchObject({ contextLength: undefined, parameterCount: undefined, chat: true });
    expect(model?.strengths).toEqual({ reasoning: 0.5, coding: 0.5, writing: 0.5 });
  });

  it('skips a folder whose config.json is not JSON and a directory that does not exist', async () => {
    await fakeModelFolder(join(root, 'good'), { model_type: 'gpt2' }, { 'model.onnx': 10 });
    await fakeModelFolder(join(root, 'broken'), {}, { 'model.onnx': 10 });
    await writeFile(join(root, 'broken', 'config.json'), '{ not json');
    const models = await list([root, join(root, 'missing')]);
    expect(models.map((m) => m.name)).toEqual(['good']);
  });

  it('discovers the real tiny models transformers.js loads', async () => {
    const lm = await generateTinyCausalLM({ dir: join(root, 'tiny-lm') });
    const encoder = await generateTinyEncoder({ dir: join(root, 'tiny-encoder') });
    const models = await list([root]);
    const byName = new Map(models.map((m) => [m.name, m]));
    expect(byName.get('tiny-lm')).toMatchObject({
      id: `onnx:${lm.dir}`,
      family: 'gpt2',
      chat: true,
      embeddings: false,
    });
    expect(byName.get('tiny-lm')?.memoryBytes).toBeGreaterThan(10_000);
    expect(byName.get('tiny-lm')?.contextLength).toBeGreaterThan(0);
    expect(byName.get('tiny-encoder')).toMatchObject({
      id: `onnx:${encoder.dir}`,
      family: 'bert',
      embeddings: true,
    });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(onnxFolderSource({ dirs: [root] }).list(controller.signal)).rejects.toThrow();
  });
});
