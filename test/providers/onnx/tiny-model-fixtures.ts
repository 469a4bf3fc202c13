import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadedTextGenerator, loadOnnxModel } from '../../../src/providers/onnx/load-onnx-model.ts';
import {
  generateTinyCausalLM,
  generateTinyEncoder,
  type TinyCausalLm,
  type TinyEncoder,
} from '../../../src/testing/tiny-models/index.ts';

/** Tiny models generated into a fresh temporary folder for one test file. */
export interface TinyModelFixtures {
  /** Folder holding every model. */
  readonly root: string;
  /** Default tiny causal LM (seed 42). */
  readonly lm: TinyCausalLm;
  /** A second causal LM with other weights (seed 7), for cache tests. */
  readonly otherLm: TinyCausalLm;
  /** Tiny BERT-style encoder. */
  readonly encoder: TinyEncoder;
  /** Removes the folder. */
  cleanup(): Promise<void>;
}

/** Generates the tiny models (about 50 ms in all). */
export async function createTinyModelFixtures(): Promise<TinyModelFixtures> {
  const root = await mkdtemp(join(tmpdir(), 'signet-onnx-'));
  const [lm, otherLm, encoder] = await Promise.all([
    generateTinyCausalLM({ dir: join(root, 'lm') }),
    generateTinyCausalLM({ dir: join(root, 'lm-seed-7'), seed: 7 }),
    generateTinyEncoder({ dir: join(root, 'encoder') }),
  ]);
  return { root, lm, otherLm, encoder, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Loads a causal LM folder the way the engine does (CPU, fp32, local files, one onnxruntime thread). */
export async function loadTextGenerator(dir: string): Promise<LoadedTextGenerator> {
  const source = {
    id: dir,
    ref: dir,
    allowDownloads: false,
    cacheDir: undefined,
    onProgress: undefined,
    localFolder: dir,
    intraOpThreads: 1,
  };
  const { loaded } = await loadOnnxModel(source, 'text-generation', 'cpu', 'fp32');
  if (loaded.task !== 'text-generation') throw new Error(`${dir} did not load as a text generator`);
  return loaded;
}
