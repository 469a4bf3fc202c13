import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignetError } from '../../../src/index.ts';
import {
  createOnnxEngine,
  createWorkerOnnxEngine,
  type OnnxEngine,
} from '../../../src/providers/onnx/index.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let fixtures: TinyModelFixtures;
let model: string;
let local: OnnxEngine;
let workers: OnnxEngine;
const prompts = Array.from({ length: 6 }, (_, i) => `request ${i}: ${'abc '.repeat(i + 1)}`);
const chat = [{ role: 'user', content: 'What is the capital of France?' }] as const;

beforeAll(async () => {
  fixtures = await createTinyModelFixtures();
  model = fixtures.lm.dir;
  local = createOnnxEngine();
  workers = createWorkerOnnxEngine({ workers: 2 });
  await Promise.all([local.load(model), workers.load(model)]);
});

afterAll(async () => {
  await Promise.all([local?.dispose(), workers?.dispose()]);
  await fixtures?.cleanup();
});

describe('worker-thread ONNX engine', () => {
  it('gives a greedy request the same result as the in-process engine', async () => {
    const request = { model, messages: chat, maxTokens: 16, temperature: 0 };
    const [ours, theirs] = await Promise.all([workers.generate(request), local.generate(request)]);
    expect(ours.text.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });

  it('gives concurrent greedy requests the texts the in-process engine gives them one at a time', async () => {
    const expected: string[] = [];
    for (const prompt of prompts)
      expected.push((await local.generate({ model, prompt, maxTokens: 20 })).text);
    const results = await Promise.all(
      prompts.map((prompt) => workers.generate({ model, prompt, maxTokens: 20 })),
    );
    expect(results.map((r) => r.text)).toEqual(expected);
    for (const result of results) expect(result.usage.completionTokens).toBe(20);
  });

  it('lets a request join a batch running in a worker, answered before the long one ends', async () => {
    const single = createWorkerOnnxEngine({ workers: 1 });
    try {
      const long = { model, prompt: prompts[3] as string, maxTokens: 120 };
      const short = { model, prompt: prompts[1] as string, maxTokens: 8 };
      const expected = [(await local.generate(long)).text, (await local.generate(short)).text];
      const order: string[] = [];
      let seen = 0;
      let started!: () => void;
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const finished = (name: string) => (result: { text: string }) => {
        order.push(name);
        return result.text;
      };
      const first = single
        .generate({ ...long, onToken: () => ++seen === 10 && started() })
        .then(finished('long'));
      await running;
      const second = single.generate(short).then(finished('short'));
      expect(await Promise.all([first, second])).toEqual(expected);
      expect(order).toEqual(['short', 'long']);
    } finally {
      await single.dispose();
    }
  });

  it('runs batch size x workers requests at once', () => {
    expect(local.concurrency()).toBe(8);
    expect(workers.concurrency()).toBe(16);
  });

  it('streams deltas, in order, that concatenate to the final text', async () => {
    const deltas: string[] = [];
    const result = await workers.generate({
      model,
      messages: chat,
      maxTokens: 24,
      onToken: (d) => deltas.push(d),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.text);
  });

  it('ends at a stop string like the in-process engine', async () => {
    const full = await local.generate({ model, messages: chat, maxTokens: 24 });
    const stop = full.text.slice(6, 8);
    const stopped = await workers.generate({ model, messages: chat, maxTokens: 24, stop: [stop] });
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.text).toBe(full.text.slice(0, full.text.indexOf(stop)));
  });

  it('aborts one request mid-generation with SIGNET_ABORTED and finishes the others', async () => {
    const controller = new AbortController();
    let started = false;
    const results = Promise.allSettled([
      workers.generate({
        model,
        prompt: prompts[3] as string,
        maxTokens: 1500,
        signal: controller.signal,
        onToken: () => {
          if (!started) controller.abort();
          started = true;
        },
      }),
      workers.generate({ model, prompt: prompts[4] as string, maxTokens: 30 }),
      workers.generate({ model, prompt: prompts[5] as string, maxTokens: 30 }),
    ]);
    const [aborted, ...fine] = await results;
    expect(started).toBe(true);
    expect(aborted?.status).toBe('rejected');
    if (aborted?.status === 'rejected') {
      expect(SignetError.is(aborted.reason)).toBe(true);
      expect((aborted.reason as SignetError).code).toBe('SIGNET_ABORTED');
    }
    for (const result of fine)
      expect(result.status === 'fulfilled' && result.value.usage.completionTokens).toBe(30);
  });

  it('constrains output to a JSON Schema (typed decoding) exactly as the in-process engine does', async () => {
    const jsonSchema = {
      type: 'object',
      properties: { capital: { type: 'string', maxLength: 12 }, known: { type: 'boolean' } },
      required: ['capital', 'known'],
      additionalProperties: false,
    };
    const request = { model, messages: chat, maxTokens: 120, jsonSchema };
    const [ours, theirs] = await Promise.all([workers.generate(request), local.generate(request)]);
    const parsed = JSON.parse(ours.text) as Record<string, unknown>;
    expect(typeof parsed.capital).toBe('string');
    expect(typeof parsed.known).toBe('boolean');
    expect(ours.text).toBe(theirs.text);
  });

  it('lists the loaded model once although every worker holds a replica', () => {
    expect(workers.models().map((m) => [m.ref, m.task])).toEqual([[model, 'text-generation']]);
  });

  it('rejects a bad model path with the same SignetError code as the in-process engine', async () => {
    const missing = join(fixtures.root, 'nope');
    const theirs = await local.load(missing).catch((error: unknown) => error);
    const ours = await workers.load(missing).catch((error: unknown) => error);
    expect(SignetError.is(theirs) && theirs.code).toBe('SIGNET_MODEL_NOT_FOUND');
    expect(SignetError.is(ours) && ours.code).toBe('SIGNET_MODEL_NOT_FOUND');
    expect((ours as SignetError).message).toBe((theirs as SignetError).message);
    const generated = await workers
      .generate({ model: missing, prompt: 'x', maxTokens: 2 })
      .catch((e: unknown) => e);
    expect(SignetError.is(generated) && generated.code).toBe('SIGNET_MODEL_NOT_FOUND');
  });

  it('embeds texts in a worker as the in-process engine does', async () => {
    const request = { model: fixtures.encoder.dir, texts: ['alpha', 'beta gamma'] };
    const [ours, theirs] = await Promise.all([workers.embed(request), local.embed(request)]);
    expect(ours).toHaveLength(2);
    expect(ours).toEqual(theirs);
  });
});

describe('worker-thread ONNX engine dispose', () => {
  it('replaces a worker that stops, reloading its model, and gives up on one that keeps stopping', async () => {
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    const warnings: string[] = [];
    const single = createWorkerOnnxEngine({ workers: 1, onWarning: (w) => warnings.push(w.code) });
    const currentWorker = (): Worker => posted.mock.contexts.at(-1) as Worker;
    try {
      await single.load(model);
      const expected = (await local.generate({ model, prompt: prompts[2] as string, maxTokens: 12 })).text;
      const running = single.generate({ model, prompt: prompts[2] as string, maxTokens: 400 });
      await currentWorker().terminate();
      const error = await running.catch((e: unknown) => e);
      expect(SignetError.is(error) && error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
      expect(SignetError.is(error) && error.retryable).toBe(true);
      expect(warnings).toEqual(['worker-restarted']);
      // The replacement reloaded the model and serves it like before.
      expect((await single.generate({ model, prompt: prompts[2] as string, maxTokens: 12 })).text).toBe(
        expected,
      );
      expect(single.models().map((m) => m.ref)).toEqual([model]);
      expect(single.concurrency()).toBe(8);

      for (let i = 0; i < 3; i++) {
        await single.generate({ model, prompt: 'x', maxTokens: 1 });
        await currentWorker().terminate();
        await vi.waitFor(() => expect(warnings).toHaveLength(i + 2));
      }
      expect(warnings).toEqual([
        'worker-restarted',
        'worker-restarted',
        'worker-restarted',
        'worker-stopped',
      ]);
      await expect(single.generate({ model, prompt: 'x', maxTokens: 1 })).rejects.toThrow(
        /Every ONNX engine worker has stopped/,
      );
    } finally {
      posted.mockRestore();
      await single.dispose();
    }
  });

  it('finishes queued work, terminates its workers and rejects later calls', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      const engine = createWorkerOnnxEngine({ workers: 2 });
      await engine.load(model);
      const pending = engine.generate({ model, prompt: 'hello', maxTokens: 8 });
      await engine.dispose();
      await expect(pending).resolves.toMatchObject({ usage: { completionTokens: 8 } });
      expect(terminate).toHaveBeenCalledTimes(2);
      for (const call of terminate.mock.results) await expect(call.value).resolves.toBeTypeOf('number');
      await expect(engine.generate({ model, prompt: 'x', maxTokens: 1 })).rejects.toMatchObject({
        code: 'SIGNET_PROVIDER_UNAVAILABLE',
      });
      expect(engine.models()).toEqual([]);
    } finally {
      terminate.mockRestore();
    }
  });

  it('rejects an invalid worker count with SIGNET_CONFIG_INVALID', () => {
    expect(() => createWorkerOnnxEngine({ workers: 0 })).toThrow(
      expect.objectContaining({ code: 'SIGNET_CONFIG_INVALID' }),
    );
  });
});
