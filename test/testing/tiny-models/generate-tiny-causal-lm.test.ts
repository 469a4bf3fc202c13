import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  pipeline,
  Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTinyCausalLM, type TinyCausalLm } from '../../../src/testing/tiny-models/index.ts';

// This file runs in its own worker process, so the module-global setting stays here.
env.allowRemoteModels = false;

let root: string;
let lm: TinyCausalLm;
let tokenizer: PreTrainedTokenizer;
let model: PreTrainedModel;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-tiny-lm-'));
  lm = await generateTinyCausalLM({ dir: join(root, 'lm') });
  tokenizer = await AutoTokenizer.from_pretrained(lm.dir, { local_files_only: true });
  model = await AutoModelForCausalLM.from_pretrained(lm.dir, {
    local_files_only: true,
    device: 'cpu',
    dtype: 'fp32',
  });
});

afterAll(async () => {
  await model?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('generateTinyCausalLM', () => {
  it('writes a GPT-2 config, tokenizer files and onnx/model.onnx', async () => {
    expect(lm.skipped).toBe(false);
    const config = JSON.parse(await readFile(join(lm.dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'gpt2',
      n_embd: 32,
      n_head: 2,
      n_layer: 2,
      n_positions: 256,
      vocab_size: 320,
    });
    expect(config.eos_token_id).toBe(lm.specialTokenIds['<|endoftext|>']);
    const tokenizerConfig = JSON.parse(await readFile(join(lm.dir, 'tokenizer_config.json'), 'utf8'));
    expect(tokenizerConfig.add_bos_token).toBe(false);
    expect((await stat(join(lm.dir, 'onnx', 'model.onnx'))).size).toBeGreaterThan(50_000);
  });

  it('skips a folder already built from the same parameters and rebuilds on a change', async () => {
    const before = (await stat(join(lm.dir, 'onnx', 'model.onnx'))).mtimeMs;
    const again = await generateTinyCausalLM({ dir: lm.dir });
    expect(again.skipped).toBe(true);
    expect((await stat(join(lm.dir, 'onnx', 'model.onnx'))).mtimeMs).toBe(before);
    const other = await generateTinyCausalLM({ dir: join(root, 'other'), seed: 43 });
    expect(other.skipped).toBe(false);
    expect(other.hash).not.toBe(lm.hash);
  });

  it('writes byte-identical weights for the same seed and different ones for another seed', async () => {
    const a = await generateTinyCausalLM({ dir: join(root, 'same-a') });
    const b = await generateTinyCausalLM({ dir: join(root, 'same-b') });
    const c = await generateTinyCausalLM({ dir: join(root, 'seed-9'), seed: 9 });
    const read = (dir: string): Promise<Buffer> => readFile(join(dir, 'onnx', 'model.onnx'));
    expect((await read(a.dir)).equals(await read(b.dir))).toBe(true);
    expect((await read(a.dir)).equals(await read(c.dir))).toBe(false);
  });

  it('round-trips any text through the byte-level tokenizer, specials as single tokens', () => {
    const text = 'Hello, wörld! 123 — ok\n\ttabs';
    const ids = tokenizer.encode(text);
    expect(tokenizer.decode(ids)).toBe(text);
    expect(ids.length).toBeLessThan(new TextEncoder().encode(text).length);
    expect(tokenizer.encode('<|im_start|>')).toEqual([lm.specialTokenIds['<|im_start|>']]);
  });

  it('applies the ChatML chat template with a generation prompt', () => {
    const text = tokenizer.apply_chat_template([{ role: 'user', content: 'Hi' }], {
      add_generation_prompt: true,
      tokenize: false,
    });
    expect(text).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  });

  it('declares the KV-cache inputs and outputs transformers.js expects', () => {
    const session = (model.sessions as Record<string, { inputNames: string[]; outputNames: string[] }>).model;
    expect(session?.inputNames).toEqual(
      expect.arrayContaining([
        'input_ids',
        'attention_mask',
        'position_ids',
        'past_key_values.0.key',
        'past_key_values.1.value',
      ]),
    );
    expect(session?.outputNames).toEqual(
      expect.arrayContaining(['logits', 'present.0.key', 'present.1.value']),
    );
  });

  it('generates with the KV cache exactly what a full recompute without cache picks greedily', async () => {
    const inputs = tokenizer('the cat sat on') as { input_ids: Tensor; attention_mask: Tensor };
    const promptLength = inputs.input_ids.dims[1] ?? 0;
    const cached = (await model.generate({ ...inputs, max_new_tokens: 8, do_sample: false })) as Tensor;
    const withCache = (cached.tolist() as bigint[][])[0]?.slice(promptLength) ?? [];

    const ids = (inputs.input_ids.tolist() as bigint[][])[0] ?? [];
    const noCache: bigint[] = [];
    for (let step = 0; step < 8; step++) {
      const all = [...ids, ...noCache];
      const out = (await model({
        input_ids: new Tensor('int64', BigInt64Array.from(all), [1, all.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(all.length).fill(1n), [1, all.length]),
      })) as { logits: Tensor };
      const last = Array.from(out.logits.slice(null, -1, null).data as Float32Array);
      noCache.push(BigInt(last.indexOf(Math.max(...last))));
    }
    expect(withCache).toHaveLength(8);
    expect(withCache).toEqual(noCache);
  });

  it('runs in the text-generation pipeline and never emits special tokens', async () => {
    const generator = await pipeline('text-generation', lm.dir, { local_files_only: true, dtype: 'fp32' });
    const [result] = (await generator('Hello', { max_new_tokens: 12, do_sample: false })) as {
      generated_text: string;
    }[];
    expect(result?.generated_text.startsWith('Hello')).toBe(true);
    expect(result?.generated_text.length).toBeGreaterThan('Hello'.length);
    expect(result?.generated_text).toMatch(/^[\x20-\x7e\n]*$/);
    await generator.dispose();
  });

  it('builds a 32k-token vocabulary whose logits cover every token', async () => {
    const big = await generateTinyCausalLM({ dir: join(root, 'vocab-32k'), vocabSize: 32_000 });
    const bigTokenizer = await AutoTokenizer.from_pretrained(big.dir, { local_files_only: true });
    const bigModel = await AutoModelForCausalLM.from_pretrained(big.dir, {
      local_files_only: true,
      dtype: 'fp32',
    });
    const inputs = bigTokenizer('hello world') as { input_ids: Tensor; attention_mask: Tensor };
    const out = (await bigModel(inputs)) as { logits: Tensor };
    expect(out.logits.dims.at(-1)).toBe(32_000);
    expect(bigTokenizer.decode(bigTokenizer.encode('synthetic merges work'))).toBe('synthetic merges work');
    await bigModel.dispose();
  });

  it('builds a 150k-token vocabulary that loads and round-trips text', async () => {
    const huge = await generateTinyCausalLM({ dir: join(root, 'vocab-150k'), vocabSize: 150_000 });
    const hugeTokenizer = await AutoTokenizer.from_pretrained(huge.dir, { local_files_only: true });
    // The last merged token (id 149_996, just before the three specials) decodes to a multi-letter piece.
    expect(hugeTokenizer.decode([149_996]).trim().length).toBeGreaterThan(2);
    const text = 'the quick brown fox <|im_end|>';
    const ids = hugeTokenizer.encode(text);
    expect(ids.at(-1)).toBe(150_000 - 1);
    expect(hugeTokenizer.decode(ids)).toBe(text);
  });
});
