import { join } from 'node:path';
import type { AxAIService, AxAIServiceOptions, AxChatRequest } from '@ax-llm/ax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../../signatures/index.ts';
import {
  createOnnxEngine,
  createOnnxProvider,
  createRouter,
  DelegatingService,
  defineSignature,
  OutputParseError,
  outputSchemaOf,
  predict,
  type Signature,
  type SignetProvider,
} from '../../../src/index.ts';
import { generateTinyCausalLM } from '../../../src/testing/tiny-models/index.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let fixtures: TinyModelFixtures;
let provider: SignetProvider;
const engine = createOnnxEngine({ maxBatchSize: 8 });

beforeAll(async () => {
  fixtures = await createTinyModelFixtures();
  const lm = await generateTinyCausalLM({ dir: join(fixtures.root, 'lm-4k'), maxPositions: 4096 });
  provider = await createOnnxProvider({ engine, model: lm.dir });
});

afterAll(async () => {
  await engine.dispose();
  await fixtures.cleanup();
});

const firstInputs = (signature: Signature) => signature.examples[0]?.inputs ?? {};

describe('typed decoding through the ONNX provider (random-weight model)', () => {
  it('returns outputs that validate for every catalog signature, on the first attempt, greedy and sampled', async () => {
    const runs = catalog.flatMap((signature) =>
      [0, 1, 1].map((temperature) =>
        predict(signature as Signature)
          .run(firstInputs(signature as Signature), {
            ai: provider,
            temperature,
            maxTokens: 320,
            maxRetries: 0,
          })
          .then((result) => ({ signature: signature as Signature, result })),
      ),
    );
    const results = await Promise.all(runs);
    expect(results).toHaveLength(catalog.length * 3);
    for (const { signature, result } of results) {
      expect(result.trace.attempts, signature.name).toBe(1);
      expect(signature.parseOutput(result.outputs).ok, signature.name).toBe(true);
    }
  }, 120_000);

  it('fails most of the time for the same model when a run turns the constraint off', async () => {
    const outcomes = await Promise.allSettled(
      catalog.map((signature) =>
        predict(signature as Signature).run(firstInputs(signature as Signature), {
          ai: provider,
          maxTokens: 160,
          maxRetries: 0,
          constrain: false,
        }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(catalog.length / 2);
    for (const failure of failed) {
      if (failure.status === 'rejected') expect(failure.reason).toBeInstanceOf(OutputParseError);
    }
  }, 120_000);

  it('hands the signature schema (integers stay integers) through a router to the provider', async () => {
    const seen: (Readonly<Record<string, unknown>> | undefined)[] = [];
    class Spy extends DelegatingService {
      protected rewrap(service: AxAIService): AxAIService {
        return new Spy(service);
      }
      chat(req: Readonly<AxChatRequest>, options?: Readonly<AxAIServiceOptions>) {
        seen.push(outputSchemaOf(options));
        return this.ai.chat(req, options);
      }
    }
    const router = createRouter({ deployments: [{ id: 'local-onnx', ai: new Spy(provider) }] });
    const counted = defineSignature({
      name: 'count-things',
      version: '1.0.0',
      inputs: z.object({ question: z.string() }),
      outputs: z.object({ itemCount: z.int().min(0).max(50), itemLabels: z.array(z.string()).max(3) }),
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        predict(counted).run(
          { question: 'How many?' },
          { ai: router, temperature: 1, maxTokens: 96, maxRetries: 0 },
        ),
      ),
    );
    for (const { outputs, trace } of results) {
      expect(Number.isInteger(outputs.itemCount)).toBe(true);
      expect(trace.provider).toBe('local-onnx');
    }
    expect(seen).toHaveLength(4);
    for (const schema of seen)
      expect(schema).toMatchObject({ properties: { itemCount: { type: 'integer' } } });
  }, 60_000);

  it('streams typed partial fields of constrained output', async () => {
    const sig = defineSignature({
      name: 'stream-typed',
      version: '1.0.0',
      signature: 'question:string -> answer:string, confidence:number(min 0, max 1)',
    });
    const partials: string[] = [];
    let final: { answer: string; confidence: number } | undefined;
    for await (const event of predict(sig).stream({ question: 'Why?' }, { ai: provider, maxTokens: 96 })) {
      if (event.type === 'partial' && typeof event.outputs.answer === 'string')
        partials.push(event.outputs.answer);
      if (event.type === 'final') final = event.result.outputs;
    }
    expect(final).toBeDefined();
    expect(final?.confidence).toBeGreaterThanOrEqual(0);
    expect(final?.confidence).toBeLessThanOrEqual(1);
    expect(partials.length).toBeGreaterThan(0);
  }, 60_000);
});
