import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/index.ts';
import { type BatchInputs, leftPadded } from '../../../src/providers/onnx/batch-inputs.ts';
import { type BatchRow, prepareRow } from '../../../src/providers/onnx/batch-row.ts';
import { type DecodeLoopOptions, decodeRows } from '../../../src/providers/onnx/decode-loop.ts';
import { planDecoding } from '../../../src/providers/onnx/decoding-plan.ts';
import { generateBatch } from '../../../src/providers/onnx/generate-batch.ts';
import { generateWithTransformers } from '../../../src/providers/onnx/generate-with-transformers.ts';
import { createOnnxEngine } from '../../../src/providers/onnx/index.ts';
import type { LoadedTextGenerator } from '../../../src/providers/onnx/load-onnx-model.ts';
import type { OnnxGenerateRequest } from '../../../src/providers/onnx/onnx-generate-request.ts';
import { eosTokenIds } from '../../../src/providers/onnx/render-prompt.ts';
import { createTokenSampler } from '../../../src/providers/onnx/sample-token.ts';
import { prefillSharedPrefix, sharedPrefixLength } from '../../../src/providers/onnx/shared-prefix.ts';
import { createSeededRandom, generateTinyCausalLM } from '../../../src/testing/tiny-models/index.ts';
import { createTinyModelFixtures, loadTextGenerator, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let fixtures: TinyModelFixtures;
let lm: LoadedTextGenerator;
let penalised: LoadedTextGenerator;

beforeAll(async () => {
  fixtures = await createTinyModelFixtures();
  lm = await loadTextGenerator(fixtures.lm.dir);
  // The same weights with a repetition penalty in generation_config.json, which the owned loop lacks.
  const dir = join(fixtures.root, 'lm-penalty');
  await generateTinyCausalLM({ dir });
  const configFile = join(dir, 'generation_config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
  await writeFile(configFile, JSON.stringify({ ...config, repetition_penalty: 1.3 }));
  penalised = await loadTextGenerator(dir);
});

afterAll(async () => {
  await lm?.model.dispose();
  await penalised?.model.dispose();
  await fixtures.cleanup();
});

const ownedPlan = (model: LoadedTextGenerator) => {
  const plan = planDecoding(model.model);
  if (plan.loop !== 'owned') throw new Error(`expected the owned loop: ${plan.reason}`);
  return plan;
};

function rowsOf(model: LoadedTextGenerator, requests: readonly OnnxGenerateRequest[]): BatchRow[] {
  return requests.map((request) => prepareRow(model, request, 256, undefined));
}

const greedy = () => createTokenSampler({ temperature: 0, topK: 0, topP: 1, random: Math.random });
const padOf = (model: LoadedTextGenerator) => BigInt(model.tokenizer.pad_token_id ?? 0);

/** The owned loop over `rows` of the tiny model, left-padded and greedy unless `options` say otherwise. */
async function decode(
  rows: readonly BatchRow[],
  options: Partial<DecodeLoopOptions> = {},
  inputs: BatchInputs = leftPadded(
    rows.map((r) => r.promptIds),
    padOf(lm),
  ),
): Promise<void> {
  await decodeRows(lm, rows, inputs, {
    plan: ownedPlan(lm),
    sampler: greedy(),
    eos: eosTokenIds(lm),
    pad: padOf(lm),
    ...options,
  });
}

/** Runs `fn` while `record` sees the inputs of every `forward()` of the tiny model. */
async function recordingForwards(
  record: (inputs: Record<string, { dims: number[] }>) => void,
  fn: () => Promise<void>,
): Promise<void> {
  const forward = lm.model.forward.bind(lm.model);
  lm.model.forward = async (inputs: Record<string, { dims: number[] }>) => {
    record(inputs);
    return forward(inputs);
  };
  try {
    await fn();
  } finally {
    lm.model.forward = forward;
  }
}

/** Both loops over the same requests and layout; each returns every row's generated token ids. */
async function bothLoops(
  requests: readonly OnnxGenerateRequest[],
  layout: 'padded' | 'shared-prefix',
): Promise<{ owned: bigint[][]; transformers: bigint[][] }> {
  const eos = eosTokenIds(lm);
  const pad = BigInt(lm.tokenizer.pad_token_id ?? 0);
  const inputsFor = async (rows: BatchRow[]) => {
    const prompts = rows.map((r) => r.promptIds);
    if (layout === 'padded') return leftPadded(prompts, pad);
    const prefixed = await prefillSharedPrefix(lm, prompts, sharedPrefixLength(prompts), pad);
    if (prefixed === undefined) throw new Error('the tiny model has a plain float32 cache');
    return prefixed;
  };
  const ownedRows = rowsOf(lm, requests);
  await decode(ownedRows, {}, await inputsFor(ownedRows));
  const theirRows = rowsOf(lm, requests);
  await generateWithTransformers(lm, theirRows, await inputsFor(theirRows), eos);
  return {
    owned: ownedRows.map((r) => [...r.tracker.tokens]),
    transformers: theirRows.map((r) => [...r.tracker.tokens]),
  };
}

describe('signet decoding loop', () => {
  it('drives the tiny GPT-2 model itself, with position ids and its top_k', () => {
    expect(planDecoding(lm.model)).toEqual({
      loop: 'owned',
      positionStart: 0,
      positionIds: true,
      logitsToKeep: false,
      topK: 50,
      cacheSequenceAxis: 2,
    });
  });

  it('leaves a model whose generation config needs a processor it lacks to generate(), saying which', () => {
    expect(planDecoding(penalised.model)).toEqual({
      loop: 'transformers',
      reason: 'generation config repetition_penalty',
    });
  });

  it('generates greedily exactly the tokens generate() does, one row', async () => {
    const { owned, transformers } = await bothLoops(
      [{ model: 'lm', prompt: 'hello world', maxTokens: 24 }],
      'padded',
    );
    expect(owned[0]).toHaveLength(24);
    expect(owned).toEqual(transformers);
  });

  it('matches generate() on a left-padded batch of different prompts and limits', async () => {
    const requests = ['a', 'a much longer prompt than the first', 'mid-sized prompt'].map((prompt, i) => ({
      model: 'lm',
      prompt,
      maxTokens: 10 + 7 * i,
    }));
    const { owned, transformers } = await bothLoops(requests, 'padded');
    expect(owned.map((t) => t.length)).toEqual([10, 17, 24]);
    expect(owned).toEqual(transformers);
  });

  it('drops a finished row from the batch, cache included, and the rest go on unchanged', async () => {
    const requests = [
      { model: 'lm', prompt: 'short lived', maxTokens: 3 },
      { model: 'lm', prompt: 'long lived', maxTokens: 8 },
    ];
    const rows = rowsOf(lm, requests);
    const batches: number[] = [];
    await recordingForwards(
      (inputs) => batches.push(inputs.input_ids?.dims[0] ?? 0),
      () => decode(rows),
    );
    // Prefill and two steps with both rows, then five with the long one alone.
    expect(batches).toEqual([2, 2, 2, 1, 1, 1, 1, 1]);
    const alone = (await bothLoops([requests[1] as OnnxGenerateRequest], 'padded')).owned[0];
    expect(rows[1]?.tracker.tokens).toEqual(alone);
    expect(rows[0]?.tracker.tokens).toHaveLength(3);
  });

  it('lets rows join between steps, prefilling only what follows the prefix they share with the batch', async () => {
    const system = 'You are a careful assistant that answers in one sentence. Think first. ';
    const ask = (question: string, maxTokens: number): OnnxGenerateRequest => ({
      model: 'lm',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: question },
      ],
      maxTokens,
    });
    const long = ask('Explain the tides.', 40);
    const joiners = [ask('Name a colour.', 6), ask('Why?', 9)];
    const [longRow] = rowsOf(lm, [long]);
    const joinerRows = rowsOf(lm, joiners);
    if (longRow === undefined) throw new Error('no row');
    const shapes: number[][] = [];
    let calls = 0;
    await recordingForwards(
      (inputs) => shapes.push([...(inputs.input_ids?.dims ?? [])]),
      () => decode([longRow], { admit: () => (++calls === 5 ? joinerRows : []) }),
    );
    // The joiners' prefill feeds only the part after the shared system prompt, then the batch has 3 rows.
    const [first, second] = joinerRows.map((r) => r.promptIds.length);
    const joinPrefill = shapes[5];
    expect(joinPrefill?.[0]).toBe(2);
    expect(joinPrefill?.[1]).toBeLessThan(Math.min(first ?? 0, second ?? 0) - 16);
    expect(shapes[6]).toEqual([3, 1]);
    const alone = await Promise.all(
      [long, ...joiners].map(async (r) => (await bothLoops([r], 'padded')).owned[0]),
    );
    expect([longRow, ...joinerRows].map((r) => r?.tracker.tokens)).toEqual(alone);
  });

  it('trims the cache to the longest live row once a long row leaves', async () => {
    const requests = [
      {
        model: 'lm',
        prompt: 'a long prompt that pads every other row of the batch. '.repeat(3),
        maxTokens: 2,
      },
      { model: 'lm', prompt: 'short', maxTokens: 12 },
    ];
    const rows = rowsOf(lm, requests);
    const widths: number[] = [];
    await recordingForwards(
      (inputs) => widths.push(inputs.attention_mask?.dims[1] ?? 0),
      () => decode(rows),
    );
    const short = rows[1]?.promptIds.length ?? 0;
    expect(widths[0]).toBe(rows[0]?.promptIds.length);
    // Once the long row is gone, the mask is as long as the short row's prompt and tokens so far.
    expect(widths.at(-1)).toBe(short + 11);
    const alone = (await bothLoops([requests[1] as OnnxGenerateRequest], 'padded')).owned[0];
    expect(rows[1]?.tracker.tokens).toEqual(alone);
  });

  it('takes no joiners for a model it does not tell positions, and leaves WebGPU models to generate()', async () => {
    const [row] = rowsOf(lm, [{ model: 'lm', prompt: 'positions', maxTokens: 6 }]);
    if (row === undefined) throw new Error('no row');
    let asked = 0;
    await decode([row], {
      plan: { ...ownedPlan(lm), positionIds: false },
      admit: () => {
        asked++;
        return [];
      },
    });
    expect(asked).toBe(0);
    expect(row.tracker.tokens).toHaveLength(6);
    expect(planDecoding(lm.model, 'webgpu')).toEqual({
      loop: 'transformers',
      reason: 'webgpu keeps the cache in GPU buffers',
    });
  });

  it('fails only the joiners when their prefill fails, and a row with no allowed token on its own', async () => {
    const broken = {
      accept: () => {},
      mask: () => {
        throw new Error('grammar exploded');
      },
    };
    const blankAll = {
      accept: () => {},
      mask: () => ({
        applyToLogits: (logits: Float32Array | Float64Array, offset: number, vocab: number) => {
          logits.fill(Number.NEGATIVE_INFINITY, offset, offset + vocab);
        },
      }),
    };
    const long = { model: 'lm', prompt: 'the long row', maxTokens: 20 };
    const [longRow] = rowsOf(lm, [long]);
    const joiners = rowsOf(lm, [{ model: 'lm', prompt: 'joiner', maxTokens: 5, constraint: broken }]);
    const blank = rowsOf(lm, [
      { model: 'lm', prompt: 'nothing allowed', maxTokens: 5, constraint: blankAll },
    ]);
    if (longRow === undefined) throw new Error('no row');
    const failed: [BatchRow, unknown][] = [];
    let calls = 0;
    await decode([longRow, ...blank], {
      admit: () => (++calls === 3 ? joiners : []),
      onRowFailed: (row, error) => failed.push([row, error]),
    });
    expect(failed.map(([row]) => row.request.prompt)).toEqual(['nothing allowed', 'joiner']);
    expect(String(failed[1]?.[1])).toContain('grammar exploded');
    const blankError = failed[0]?.[1];
    expect(SignetError.is(blankError) && blankError.code).toBe('SIGNET_INTERNAL');
    const alone = (await bothLoops([long], 'padded')).owned[0];
    expect(longRow.tracker.tokens).toEqual(alone);
  });

  it('matches generate() after a shared prefix prefilled once', async () => {
    const system = 'You are a careful assistant that answers in one sentence. ';
    const requests = ['What is two plus two?', 'Name a colour.', 'Why?'].map((question) => ({
      model: 'lm',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: question },
      ],
      maxTokens: 16,
    }));
    const { owned, transformers } = await bothLoops(requests, 'shared-prefix');
    expect(owned).toEqual(transformers);
    // And the same tokens each request gets alone, unbatched.
    for (const [i, request] of requests.entries()) {
      const alone = (await bothLoops([request], 'padded')).owned[0];
      expect(owned[i]).toEqual(alone);
    }
  });

  it('samples reproducibly from a seeded source, and top_k 1 is greedy', async () => {
    const request = { model: 'lm', prompt: 'sampling', maxTokens: 32, temperature: 1.5 };
    const run = async (seed: number) => {
      const random = createSeededRandom(seed);
      const [outcome] = await generateBatch(lm, [request], 256, { random: () => random.next() });
      if (outcome?.ok !== true) throw new Error('generation failed');
      return outcome.value.text;
    };
    expect(await run(1)).toBe(await run(1));
    const texts = new Set(await Promise.all([1, 2, 3, 4].map(run)));
    expect(texts.size).toBeGreaterThan(1);

    const argmax = rowsOf(lm, [{ ...request, temperature: 0 }]);
    const topOne = rowsOf(lm, [request]);
    await decode(argmax);
    await decode(topOne, {
      sampler: createTokenSampler({ temperature: 1.5, topK: 1, topP: 1, random: Math.random }),
    });
    expect(topOne[0]?.tracker.tokens).toEqual(argmax[0]?.tracker.tokens);
  });

  it("shows which loop decodes a model in the engine's model info", async () => {
    const engine = createOnnxEngine();
    try {
      expect((await engine.load(fixtures.lm.dir)).decoding).toEqual({ loop: 'signet' });
      expect((await engine.load(join(fixtures.root, 'lm-penalty'))).decoding).toEqual({
        loop: 'transformers.js',
        reason: 'generation config repetition_penalty',
      });
      expect(
        (await engine.load(fixtures.encoder.dir, { task: 'feature-extraction' })).decoding,
      ).toBeUndefined();
    } finally {
      await engine.dispose();
    }
  });

  it('runs generate() rows one at a time when the padded batch would pass the context', async () => {
    const long = {
      model: 'lm-penalty',
      prompt: 'all work and no play makes a dull model. '.repeat(9),
      maxTokens: 40,
    };
    const short = { model: 'lm-penalty', prompt: 'hi', maxTokens: 40 };
    const together = await generateBatch(penalised, [long, short], 256);
    const alone = [
      ...(await generateBatch(penalised, [long], 256)),
      ...(await generateBatch(penalised, [short], 256)),
    ];
    expect(together.map((o) => o.ok)).toEqual([true, true]);
    expect(together).toEqual(alone);
    const capped = together[0];
    if (capped?.ok === true) {
      expect(capped.value.usage.promptTokens).toBeGreaterThan(216);
      expect(capped.value.usage.promptTokens + capped.value.usage.completionTokens).toBe(256);
    }
  });

  it('still generates through generate() when the plan says so', async () => {
    const [outcome] = await generateBatch(
      penalised,
      [{ model: 'lm-penalty', prompt: 'hello', maxTokens: 12 }],
      256,
    );
    expect(outcome?.ok).toBe(true);
    if (outcome?.ok === true) expect(outcome.value.usage.completionTokens).toBe(12);
  });
});
