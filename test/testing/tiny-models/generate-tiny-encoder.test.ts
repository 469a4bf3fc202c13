import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FeatureExtractionPipeline, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTinyEncoder, type TinyEncoder } from '../../../src/testing/tiny-models/index.ts';

let root: string;
let encoder: TinyEncoder;
let extractor: FeatureExtractionPipeline;

const norm = (v: readonly number[]): number => Math.hypot(...v);
const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-tiny-encoder-'));
  encoder = await generateTinyEncoder({ dir: join(root, 'encoder') });
  extractor = await pipeline('feature-extraction', encoder.dir, { local_files_only: true, dtype: 'fp32' });
});

afterAll(async () => {
  await extractor?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('generateTinyEncoder', () => {
  it('writes a BERT config and a WordPiece tokenizer', async () => {
    const config = JSON.parse(await readFile(join(encoder.dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'bert',
      hidden_size: 32,
      num_hidden_layers: 2,
      vocab_size: encoder.vocabSize,
    });
    const tokenizer = JSON.parse(await readFile(join(encoder.dir, 'tokenizer.json'), 'utf8'));
    expect(tokenizer.model.type).toBe('WordPiece');
    expect(extractor.tokenizer.encode('the cat')).toEqual([2, expect.any(Number), expect.any(Number), 3]);
  });

  it('embeds through feature-extraction with mean pooling into unit vectors of the hidden size', async () => {
    const output = await extractor(['the cat', 'paris is the capital of france'], {
      pooling: 'mean',
      normalize: true,
    });
    expect(output.dims).toEqual([2, encoder.dimension]);
    const [a, b] = output.tolist() as number[][];
    expect(norm(a ?? [])).toBeCloseTo(1, 5);
    expect(norm(b ?? [])).toBeCloseTo(1, 5);
    expect(dot(a ?? [], b ?? [])).toBeLessThan(0.9999);
  });

  it('gives the same vector for a text alone or padded in a batch', async () => {
    const alone = (await extractor('the cat', { pooling: 'mean', normalize: true })).tolist() as number[][];
    const batched = (
      await extractor(['the cat', 'a much longer sentence about the weather in paris'], {
        pooling: 'mean',
        normalize: true,
      })
    ).tolist() as number[][];
    alone[0]?.forEach((x, i) => {
      expect(batched[0]?.[i]).toBeCloseTo(x, 5);
    });
  });

  it('is idempotent for the same parameters', async () => {
    const again = await generateTinyEncoder({ dir: encoder.dir });
    expect(again.skipped).toBe(true);
    expect(again.hash).toBe(encoder.hash);
  });
});
