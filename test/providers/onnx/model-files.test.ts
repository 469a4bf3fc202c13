import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  estimateModelBytes,
  listModelDtypes,
  resolveModelRef,
} from '../../../src/providers/onnx/model-files.ts';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'signet-model-files-'));
  await mkdir(join(folder, 'onnx'));
  const files: Record<string, number> = {
    'model.onnx': 100,
    'model.onnx_data': 1000,
    'model_quantized.onnx': 30,
    'model_fp16.onnx': 50,
    'model_q4f16.onnx': 20,
    'notes.txt': 7,
  };
  for (const [name, size] of Object.entries(files))
    await writeFile(join(folder, 'onnx', name), Buffer.alloc(size));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('model files', () => {
  it('lists the dtypes a folder ships from its onnx file names', async () => {
    expect((await listModelDtypes(folder)).sort()).toEqual(['fp16', 'fp32', 'q4f16', 'q8']);
    expect(await listModelDtypes(join(folder, 'missing'))).toEqual([]);
  });

  it('estimates size from the files of one dtype, external data included', async () => {
    expect(await estimateModelBytes(folder, 'fp32')).toBe(1100);
    expect(await estimateModelBytes(folder, 'q8')).toBe(30);
    expect(await estimateModelBytes(folder, 'fp16')).toBe(50);
    expect(await estimateModelBytes(folder, 'q4')).toBe(0);
    expect(await estimateModelBytes(undefined, 'fp32')).toBe(0);
  });

  it('treats paths as local folders and anything else as a hub id under the cache dir', () => {
    expect(resolveModelRef('/models/qwen', '/cache')).toEqual({
      kind: 'local',
      id: '/models/qwen',
      folder: '/models/qwen',
    });
    expect(resolveModelRef('./models/qwen', '/cache')).toMatchObject({
      kind: 'local',
      id: resolve('models/qwen'),
    });
    expect(resolveModelRef('onnx-community/Qwen3-0.6B-ONNX', '/cache')).toEqual({
      kind: 'hub',
      id: 'onnx-community/Qwen3-0.6B-ONNX',
      folder: '/cache/onnx-community/Qwen3-0.6B-ONNX',
    });
  });
});
