import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type LogitsProcessor,
  LogitsProcessorList,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createJsonDecoding,
  createJsonSchemaLogitsProcessor,
  type JsonDecoding,
  vocabularyFromTokenizer,
} from '../../src/decoding/index.ts';
import { defineSignature } from '../../src/index.ts';
import { generateTinyCausalLM } from '../../src/testing/tiny-models/index.ts';

// This file runs in its own worker process, so the module-global setting stays here.
env.allowRemoteModels = false;

/** Every field is bounded, so even a model with random weights must finish within max_new_tokens. */
const triage = defineSignature({
  name: 'tiny-triage',
  version: '1.0.0',
  inputs: z.object({ ticketText: z.string() }),
  outputs: z.object({
    urgency: z.enum(['low', 'lower', 'high']),
    score: z.int().min(0).max(10),
    note: z.string().max(12),
    tags: z.array(z.enum(['a', 'b'])).max(2),
    done: z.boolean().optional(),
  }),
});

let root: string;
let tokenizer: PreTrainedTokenizer;
let model: PreTrainedModel;
let decoding: JsonDecoding;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-typed-decoding-'));
  const lm = await generateTinyCausalLM({ dir: join(root, 'lm'), vocabSize: 600 });
  tokenizer = await AutoTokenizer.from_pretrained(lm.dir, { local_files_only: true });
  model = await AutoModelForCausalLM.from_pretrained(lm.dir, {
    local_files_only: true,
    device: 'cpu',
    dtype: 'fp32',
  });
  // The ids generate() stops on (generation_config.json's eos_token_id).
  const eos = [lm.specialTokenIds['<|endoftext|>'], lm.specialTokenIds['<|im_end|>']].map(Number);
  decoding = createJsonDecoding({ vocabulary: vocabularyFromTokenizer(tokenizer, { eosTokenIds: eos }) });
});

afterAll(async () => {
  await model?.dispose();
  await rm(root, { recursive: true, force: true });
});

/**
 * One generation. generate() stops right after sampling EOS, before the processor sees it, so the
 * decoder reports the document complete (not finished) and the sequence ends with an EOS id.
 */
async function generate(sample: boolean): Promise<{ text: string; finished: boolean }> {
  const { processor, decoder } = decoding.logitsProcessor(triage.jsonSchema().output);
  const processors = new LogitsProcessorList();
  processors.push(processor as unknown as LogitsProcessor);
  const encoded = tokenizer('Ticket: the site is down. JSON:');
  const output = (await model.generate({
    ...encoded,
    max_new_tokens: 160,
    do_sample: sample,
    ...(sample ? { temperature: 1.5 } : {}),
    logits_processor: processors,
  })) as Tensor;
  const last = Number((output.tolist() as bigint[][])[0]?.at(-1));
  const endedWithEos = decoding.vocabulary.eosTokenIds.includes(last);
  return { text: decoder.text, finished: decoder.isComplete && endedWithEos };
}

describe('createJsonSchemaLogitsProcessor with transformers.js generate()', () => {
  it('makes a random-weight model write JSON that validates, and stop with EOS', async () => {
    const { text, finished } = await generate(false);
    expect(finished).toBe(true);
    expect(triage.parseOutput(text)).toMatchObject({ ok: true });
  });

  it('keeps sampled generations valid too', async () => {
    for (let run = 0; run < 3; run++) {
      const { text, finished } = await generate(true);
      expect(finished, text).toBe(true);
      expect(triage.parseOutput(text).ok, text).toBe(true);
    }
  });

  it('masks logits of disallowed tokens, and of padded ids beyond the tokenizer', () => {
    const decoder = decoding.decoder({ type: 'boolean' });
    const processor = createJsonSchemaLogitsProcessor(decoder);
    const size = decoding.vocabulary.size + 4;
    const logits = new Tensor('float32', new Float32Array(size), [1, size]);
    processor([[1n, 2n]], logits);
    const finite = [...(logits.data as Float32Array)].flatMap((v, id) => (Number.isFinite(v) ? [id] : []));
    const texts = finite.map((id) => tokenizer.decode([id]));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => 'true'.startsWith(t) || 'false'.startsWith(t))).toBe(true);
  });

  it('refuses batches of more than one sequence', () => {
    const processor = createJsonSchemaLogitsProcessor(decoding.decoder({ type: 'boolean' }));
    const logits = new Tensor('float32', new Float32Array(20), [2, 10]);
    expect(() => processor([[1n], [2n]], logits)).toThrow(/one sequence/);
  });
});
