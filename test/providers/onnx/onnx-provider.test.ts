import { join } from 'node:path';
import { AxGen } from '@ax-llm/ax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineSignature, OutputParseError, predict, SignetError } from '../../../src/index.ts';
import { createTraceRecorder } from '../../../src/program/trace-recorder.ts';
import { createOnnxEngine, createOnnxProvider } from '../../../src/providers/onnx/index.ts';
import type { SignetProvider } from '../../../src/providers/shared/index.ts';
import { generateTinyCausalLM } from '../../../src/testing/tiny-models/index.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let fixtures: TinyModelFixtures;
let provider: SignetProvider;
const engine = createOnnxEngine();

beforeAll(async () => {
  fixtures = await createTinyModelFixtures();
  // Ax's system prompt alone is ~500 byte-level tokens: give this model a context that fits programs.
  const lm = await generateTinyCausalLM({ dir: join(fixtures.root, 'lm-4k'), maxPositions: 4096 });
  provider = await createOnnxProvider({
    engine,
    model: lm.dir,
    embedModel: fixtures.encoder.dir,
    defaultMaxTokens: 12,
  });
});

afterAll(async () => {
  await engine.dispose();
  await fixtures.cleanup();
});

const ask = {
  chatPrompt: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Hello?' },
  ],
};

describe('ONNX provider (real tiny model, offline)', () => {
  it('declares local capabilities and answers chat with usage', async () => {
    expect(provider.capabilities).toMatchObject({
      runtime: 'onnx',
      device: 'cpu',
      local: true,
      streaming: true,
      embeddings: true,
      // The engine's batch size: a router lets that many in at once, so they can share a batch.
      maxConcurrency: 8,
    });
    const res = await provider.chat({ ...ask, modelConfig: { maxTokens: 8, temperature: 0 } });
    if (res instanceof ReadableStream) throw new Error('expected a complete response');
    const result = res.results[0];
    expect(result?.content?.length).toBeGreaterThan(0);
    expect(result?.finishReason).toBe('length');
    expect(res.modelUsage?.tokens?.completionTokens).toBe(8);
    expect(res.modelUsage?.tokens?.promptTokens).toBeGreaterThan(0);
    const again = await provider.chat({ ...ask, modelConfig: { maxTokens: 8, temperature: 0 } });
    if (again instanceof ReadableStream) throw new Error('expected a complete response');
    expect(again.results[0]?.content).toBe(result?.content);
  });

  it('streams deltas that add up to the complete text', async () => {
    const whole = await provider.chat({ ...ask, modelConfig: { maxTokens: 10, temperature: 0 } });
    const stream = await provider.chat({
      ...ask,
      modelConfig: { maxTokens: 10, temperature: 0, stream: true },
    });
    if (!(stream instanceof ReadableStream) || whole instanceof ReadableStream)
      throw new Error('unexpected shapes');
    let text = '';
    let last: string | undefined;
    for await (const chunk of stream) {
      text += chunk.results[0]?.content ?? '';
      last = chunk.results[0]?.finishReason ?? last;
    }
    expect(text).toBe(whole.results[0]?.content);
    expect(last).toBe('length');
  });

  it('computes unit-length embeddings', async () => {
    const res = await provider.embed({ texts: ['alpha', 'beta'] });
    expect(res.embeddings).toHaveLength(2);
    for (const vector of res.embeddings) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('aborts generation through the signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider.chat({ ...ask, modelConfig: { maxTokens: 64 } }, { abortSignal: controller.signal }),
    ).rejects.toSatisfy((e) => SignetError.is(e) && e.code === 'SIGNET_ABORTED');
  });

  it('runs an Ax generator and a signet program end to end', async () => {
    const sig = defineSignature({
      name: 'echo',
      version: '1.0.0',
      signature: 'question:string -> answer:string',
    });
    const gen = new AxGen(sig.toAxSignature());
    const viaAx = await gen
      .forward(provider, { question: 'Hi' }, { modelConfig: { maxTokens: 12 } })
      .catch((e: unknown) => e);
    // Random weights produce arbitrary text: Ax either takes it as the single answer field or asks again.
    // Either way the real prompt -> template -> onnxruntime -> decode path ran.
    expect(viaAx).toBeDefined();
    try {
      const result = await predict(sig).run(
        { question: 'Hi' },
        { ai: provider, maxTokens: 12, maxRetries: 1 },
      );
      expect(typeof result.outputs.answer).toBe('string');
      expect(result.trace.provider).toBe('onnx');
      expect(result.usage.completionTokens).toBeGreaterThan(0);
    } catch (error) {
      expect(error).toBeInstanceOf(OutputParseError);
      expect((error as OutputParseError).rawText.length).toBeGreaterThan(0);
    }
  });

  it('reports health', async () => {
    expect(await provider.health()).toMatchObject({ ok: true });
  });
});

describe('ONNX provider streaming through the trace recorder', () => {
  it('records one step with the usage of a streamed call once the stream ends', async () => {
    const recorder = createTraceRecorder();
    const stream = await recorder
      .wrap(provider)
      .chat({ ...ask, modelConfig: { maxTokens: 8, temperature: 0, stream: true } });
    if (!(stream instanceof ReadableStream)) throw new Error('expected a stream');
    expect(recorder.steps).toHaveLength(0);
    let text = '';
    for await (const chunk of stream) text += chunk.results[0]?.content ?? '';
    expect(recorder.steps).toHaveLength(1);
    expect(recorder.steps[0]).toMatchObject({
      type: 'llm',
      provider: 'onnx',
      ok: true,
      usage: { completionTokens: 8 },
    });
    expect(recorder.lastContent).toBe(text);
  });
});
