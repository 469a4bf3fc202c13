import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/index.ts';
import { createOnnxEngine, type OnnxEngine } from '../../../src/providers/onnx/index.ts';
import { generateTinyCausalLM } from '../../../src/testing/tiny-models/index.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let fixtures: TinyModelFixtures;
let model: string;
let engine: OnnxEngine;

beforeAll(async () => {
  fixtures = await createTinyModelFixtures();
  model = (await generateTinyCausalLM({ dir: join(fixtures.root, 'lm-1k'), maxPositions: 1024 })).dir;
  engine = createOnnxEngine({ maxBatchSize: 8 });
});

afterAll(async () => {
  await engine.dispose();
  await fixtures.cleanup();
});

const prompts = Array.from({ length: 6 }, (_, i) => `request ${i}: ${'abc '.repeat(i + 1)}`);

describe('ONNX engine batching of concurrent requests', () => {
  it('gives concurrent greedy requests exactly the text they get one at a time', async () => {
    const sequential: string[] = [];
    for (const prompt of prompts)
      sequential.push((await engine.generate({ model, prompt, maxTokens: 20 })).text);
    const concurrent = await Promise.all(
      prompts.map((prompt) => engine.generate({ model, prompt, maxTokens: 20 })),
    );
    expect(concurrent.map((r) => r.text)).toEqual(sequential);
    for (const result of concurrent) expect(result.usage.completionTokens).toBe(20);
  });

  it('keeps per-request token limits, stop strings and streams apart within one batch', async () => {
    const reference = (await engine.generate({ model, prompt: prompts[2] as string, maxTokens: 24 })).text;
    const stop = reference.slice(6, 8);
    const deltas: string[] = [];
    const [short, stopped, streamed] = await Promise.all([
      engine.generate({ model, prompt: prompts[0] as string, maxTokens: 3 }),
      engine.generate({ model, prompt: prompts[2] as string, maxTokens: 24, stop: [stop] }),
      engine.generate({ model, prompt: prompts[1] as string, maxTokens: 12, onToken: (d) => deltas.push(d) }),
    ]);
    expect(short?.usage.completionTokens).toBe(3);
    expect(short?.finishReason).toBe('length');
    expect(stopped?.finishReason).toBe('stop');
    expect(stopped?.text).toBe(reference.slice(0, reference.indexOf(stop)));
    expect(deltas.join('')).toBe(streamed?.text);
  });

  it('aborts one request of a batch without disturbing the others', async () => {
    const controller = new AbortController();
    const results = Promise.allSettled([
      engine.generate({ model, prompt: prompts[3] as string, maxTokens: 200, signal: controller.signal }),
      engine.generate({ model, prompt: prompts[4] as string, maxTokens: 30 }),
    ]);
    controller.abort();
    const [aborted, fine] = await results;
    expect(aborted?.status).toBe('rejected');
    if (aborted?.status === 'rejected')
      expect(SignetError.is(aborted.reason) && aborted.reason.code).toBe('SIGNET_ABORTED');
    expect(fine?.status === 'fulfilled' && fine.value.usage.completionTokens).toBe(30);
  });

  it('rejects only the request whose prompt does not fit the context', async () => {
    const [tooLong, ok] = await Promise.allSettled([
      engine.generate({ model, prompt: 'x'.repeat(5000), maxTokens: 4 }),
      engine.generate({ model, prompt: prompts[0] as string, maxTokens: 4 }),
    ]);
    expect(tooLong?.status === 'rejected' && SignetError.is(tooLong.reason) && tooLong.reason.code).toBe(
      'SIGNET_CONTEXT_TOO_LONG',
    );
    expect(ok?.status).toBe('fulfilled');
  });
});

describe('ONNX engine continuous batching', () => {
  /** Resolves once `count` deltas of a streamed request arrived: its batch is running then. */
  const streaming = (count: number) => {
    let seen = 0;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    return {
      running,
      onToken: () => {
        if (++seen === count) started();
      },
    };
  };

  it('lets a request join a running batch and answers it before the long one ends, each as alone', async () => {
    const long = { model, prompt: prompts[3] as string, maxTokens: 120 };
    const short = { model, prompt: prompts[1] as string, maxTokens: 8 };
    const aloneLong = (await engine.generate(long)).text;
    const aloneShort = (await engine.generate(short)).text;

    const order: string[] = [];
    const probe = streaming(10);
    const first = engine.generate({ ...long, onToken: probe.onToken }).then((r) => {
      order.push('long');
      return r;
    });
    await probe.running;
    const second = engine.generate(short).then((r) => {
      order.push('short');
      return r;
    });
    const [longResult, shortResult] = await Promise.all([first, second]);
    expect(order).toEqual(['short', 'long']);
    expect(shortResult.text).toBe(aloneShort);
    expect(longResult.text).toBe(aloneLong);
    expect(longResult.usage.completionTokens).toBe(120);
  });

  it('with continuousBatching: false, a request waits for the running batch to finish', async () => {
    const fifo = createOnnxEngine({ continuousBatching: false });
    try {
      const order: string[] = [];
      const probe = streaming(10);
      const first = fifo
        .generate({ model, prompt: prompts[3] as string, maxTokens: 120, onToken: probe.onToken })
        .then(() => order.push('long'));
      await probe.running;
      const second = fifo
        .generate({ model, prompt: prompts[1] as string, maxTokens: 8 })
        .then(() => order.push('short'));
      await Promise.all([first, second]);
      expect(order).toEqual(['long', 'short']);
    } finally {
      await fifo.dispose();
    }
  });

  it('lets an answered joiner leave the queue, so clients behind a long batch are not turned away', async () => {
    const small = createOnnxEngine({ maxQueueLength: 4, maxBatchSize: 4 });
    try {
      const long = small.generate({ model, prompt: prompts[5] as string, maxTokens: 200 });
      let sent = 0;
      const client = async (): Promise<number> => {
        let answered = 0;
        while (sent < 40) {
          sent++;
          await small.generate({ model, prompt: `client request ${sent}`, maxTokens: 5 });
          answered++;
        }
        return answered;
      };
      // Three clients, each waiting for its answer before it sends the next request: the queue never
      // holds more than three requests that are still unanswered.
      const answered = await Promise.all([client(), client(), client()]);
      expect(answered.reduce((a, b) => a + b, 0)).toBe(40);
      expect((await long).usage.completionTokens).toBe(200);
    } finally {
      await small.dispose();
    }
  });

  it('stops taking joiners while a request that samples differently waits, so the queue reaches it', async () => {
    const order: string[] = [];
    const probe = streaming(10);
    const done = (name: string) => () => {
      order.push(name);
    };
    const greedyLong = engine
      .generate({ model, prompt: prompts[0] as string, maxTokens: 120, onToken: probe.onToken })
      .then(done('greedy long'));
    await probe.running;
    const sampled = engine
      .generate({ model, prompt: prompts[2] as string, maxTokens: 4, temperature: 0.8 })
      .then(done('sampled'));
    const greedyShort = engine
      .generate({ model, prompt: prompts[4] as string, maxTokens: 4 })
      .then(done('greedy short'));
    await Promise.all([greedyLong, sampled, greedyShort]);
    expect(order).toEqual(['greedy long', 'sampled', 'greedy short']);
  });
});

describe('ONNX engine batching near the end of the context', () => {
  it('keeps a row that hit its context cap from walking past it while a shorter row goes on', async () => {
    const small = (await generateTinyCausalLM({ dir: join(fixtures.root, 'lm-64'), maxPositions: 64 })).dir;
    const long = 'the quick brown fox jumps over the lazy dog, '.repeat(2).slice(0, 80);
    const requests = [
      { model: small, prompt: long, maxTokens: 40 },
      { model: small, prompt: 'hi', maxTokens: 40 },
    ];
    const alone: string[] = [];
    for (const request of requests) alone.push((await engine.generate(request)).text);
    const together = await Promise.all(requests.map((request) => engine.generate(request)));
    expect(together.map((r) => r.text)).toEqual(alone);
    const [capped, free] = together;
    expect((capped?.usage.promptTokens ?? 0) + (capped?.usage.completionTokens ?? 0)).toBe(64);
    expect(free?.usage.completionTokens).toBe(40);
  });
});

describe('ONNX engine batching with a shared prompt prefix', () => {
  it('prefills the shared prefix once and still gives each request the text it gets alone', async () => {
    const system = `You are a careful assistant. ${'Follow the output format exactly. '.repeat(4)}`;
    const requests = ['one', 'two two', 'three three three', 'four', 'five five'].map((question) => ({
      model,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: `Question: ${question}` },
      ],
      maxTokens: 16,
    }));
    const alone: string[] = [];
    for (const request of requests) alone.push((await engine.generate(request)).text);
    const together = await Promise.all(requests.map((request) => engine.generate(request)));
    expect(together.map((r) => r.text)).toEqual(alone);
    const identical = await Promise.all(
      [requests[0], requests[0], requests[0]].map((r) => engine.generate(r as never)),
    );
    expect(identical.map((r) => r.text)).toEqual([alone[0], alone[0], alone[0]]);
  });
});
