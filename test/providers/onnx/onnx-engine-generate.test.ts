import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxEngine, type OnnxEngine } from '../../../src/providers/onnx/index.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let models: TinyModelFixtures;
let engine: OnnxEngine;
const chat = [{ role: 'user', content: 'What is the capital of France?' }] as const;

beforeAll(async () => {
  models = await createTinyModelFixtures();
  engine = createOnnxEngine();
  await engine.load(models.lm.dir);
});

afterAll(async () => {
  await engine?.dispose();
  await models?.cleanup();
});

describe('OnnxEngine.generate', () => {
  it('is deterministic when greedy and honours maxTokens exactly', async () => {
    const first = await engine.generate({
      model: models.lm.dir,
      messages: chat,
      maxTokens: 16,
      temperature: 0,
    });
    const second = await engine.generate({
      model: models.lm.dir,
      messages: chat,
      maxTokens: 16,
      temperature: 0,
    });
    expect(first.text.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(first.finishReason).toBe('length');
    expect(first.usage.completionTokens).toBe(16);
  });

  it('counts the prompt tokens of the rendered chat template', async () => {
    const result = await engine.generate({ model: models.lm.dir, messages: chat, maxTokens: 1 });
    // '<|im_start|>user\n' + content + '<|im_end|>\n<|im_start|>assistant\n' tokenizes to > 3 specials + text.
    expect(result.usage.promptTokens).toBeGreaterThan(10);
    expect(result.usage.completionTokens).toBe(1);
    const raw = await engine.generate({ model: models.lm.dir, prompt: 'abc', maxTokens: 1 });
    expect(raw.usage.promptTokens).toBeLessThanOrEqual(3);
  });

  it('ends at a stop string and returns the text before it', async () => {
    const full = await engine.generate({ model: models.lm.dir, messages: chat, maxTokens: 24 });
    const stop = full.text.slice(6, 8);
    const cut = full.text.indexOf(stop);
    const stopped = await engine.generate({
      model: models.lm.dir,
      messages: chat,
      maxTokens: 24,
      stop: [stop],
    });
    expect(stopped.text).toBe(full.text.slice(0, cut));
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.usage.completionTokens).toBeLessThan(24);
  });

  it('streams deltas that concatenate to the final text and never include stop text', async () => {
    const full = await engine.generate({ model: models.lm.dir, messages: chat, maxTokens: 24 });
    const deltas: string[] = [];
    const streamed = await engine.generate({
      model: models.lm.dir,
      messages: chat,
      maxTokens: 24,
      onToken: (d) => deltas.push(d),
    });
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(streamed.text);
    expect(streamed.text).toBe(full.text);

    const stop = full.text.slice(10, 13);
    const stopDeltas: string[] = [];
    const stopped = await engine.generate({
      model: models.lm.dir,
      messages: chat,
      maxTokens: 24,
      stop: [stop],
      onToken: (d) => stopDeltas.push(d),
    });
    expect(stopDeltas.join('')).toBe(stopped.text);
    expect(stopDeltas.join('')).not.toContain(stop);
  });

  it('samples with temperature > 0 and still honours maxTokens', async () => {
    const result = await engine.generate({
      model: models.lm.dir,
      prompt: 'Once',
      maxTokens: 12,
      temperature: 1.2,
      topP: 0.9,
    });
    expect(result.usage.completionTokens).toBe(12);
  });

  it('aborts mid-generation with SIGNET_ABORTED', async () => {
    const controller = new AbortController();
    let deltas = 0;
    const pending = engine.generate({
      model: models.lm.dir,
      prompt: 'abort me',
      maxTokens: 200,
      signal: controller.signal,
      onToken: () => {
        deltas += 1;
        if (deltas === 2) controller.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    expect(deltas).toBeLessThan(10);
  });

  it('rejects an already aborted request without running it', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine.generate({ model: models.lm.dir, prompt: 'x', maxTokens: 4, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
  });

  it('caps output at the context window and rejects prompts that do not fit', async () => {
    const long = 'a'.repeat(250);
    const near = await engine.generate({ model: models.lm.dir, prompt: long, maxTokens: 20 });
    expect(near.usage.promptTokens + near.usage.completionTokens).toBe(256);
    expect(near.finishReason).toBe('length');
    await expect(
      engine.generate({ model: models.lm.dir, prompt: 'a'.repeat(300), maxTokens: 4 }),
    ).rejects.toMatchObject({
      code: 'SIGNET_CONTEXT_TOO_LONG',
    });
  });

  it('rejects malformed requests with SIGNET_INPUT_INVALID and issues', async () => {
    await expect(engine.generate({ model: models.lm.dir, maxTokens: 4 })).rejects.toMatchObject({
      code: 'SIGNET_INPUT_INVALID',
      issues: [expect.objectContaining({ path: ['messages'] })],
    });
    await expect(engine.generate({ model: models.lm.dir, prompt: 'x', maxTokens: 0 })).rejects.toMatchObject({
      code: 'SIGNET_INPUT_INVALID',
    });
  });

  it('runs 8 concurrent requests to completion, each equal to its sequential result', async () => {
    const prompts = Array.from({ length: 8 }, (_, i) => `prompt number ${i}`);
    const concurrent = await Promise.all(
      prompts.map((prompt) => engine.generate({ model: models.lm.dir, prompt, maxTokens: 8 })),
    );
    const sequential = [];
    for (const prompt of prompts)
      sequential.push(await engine.generate({ model: models.lm.dir, prompt, maxTokens: 8 }));
    expect(concurrent).toEqual(sequential);
    expect(new Set(concurrent.map((r) => r.text)).size).toBeGreaterThan(1);
  });
});
