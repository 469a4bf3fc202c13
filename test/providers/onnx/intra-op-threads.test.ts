import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignetError } from '../../../src/index.ts';
import { createOnnxEngine } from '../../../src/providers/onnx/index.ts';
import { intraOpThreadsFor, SINGLE_THREAD_MAX_BYTES } from '../../../src/providers/onnx/intra-op-threads.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let models: TinyModelFixtures;

beforeAll(async () => {
  models = await createTinyModelFixtures();
});
afterAll(async () => {
  await models?.cleanup();
});

/** Threads of this process right now (Linux). */
const osThreads = (): number => readdirSync('/proc/self/task').length;

describe('intra-op thread count', () => {
  it('picks one thread for small models and onnxruntime’s default for large or unknown ones', () => {
    expect(intraOpThreadsFor('auto', 200_000)).toBe(1);
    expect(intraOpThreadsFor('auto', SINGLE_THREAD_MAX_BYTES - 1)).toBe(1);
    expect(intraOpThreadsFor('auto', SINGLE_THREAD_MAX_BYTES)).toBeUndefined();
    expect(intraOpThreadsFor('auto', 0)).toBeUndefined();
    expect(intraOpThreadsFor(3, 200_000)).toBe(3);
  });

  it('rejects a count that is not a positive integer when the engine is created', () => {
    for (const intraOpThreads of [0, -1, 1.5, Number.NaN]) {
      expect(() => createOnnxEngine({ intraOpThreads }), String(intraOpThreads)).toThrow(
        expect.objectContaining({ code: 'SIGNET_CONFIG_INVALID' }) as SignetError,
      );
    }
  });

  it('runs the tiny model on one thread by default and reports it', async () => {
    const engine = createOnnxEngine();
    const info = await engine.load(models.lm.dir);
    expect(info.intraOpThreads).toBe(1);
    await engine.dispose();
  });

  it.runIf(process.platform === 'linux')('gives the session as many pool threads as asked for', async () => {
    const warm = createOnnxEngine();
    await warm.load(models.lm.dir); // the runtime's own one-time threads start here, not below
    await warm.dispose();
    const added = async (intraOpThreads: number): Promise<number> => {
      const engine = createOnnxEngine({ intraOpThreads });
      const before = osThreads();
      const info = await engine.load(models.lm.dir);
      const delta = osThreads() - before;
      expect(info.intraOpThreads).toBe(intraOpThreads);
      await engine.dispose();
      return delta;
    };
    // The calling thread is one of the pool's threads, so N threads add N - 1.
    expect((await added(4)) - (await added(1))).toBe(3);
  });

  it('generates the same greedy text whatever the thread count', async () => {
    const texts: string[] = [];
    for (const intraOpThreads of [1, 2]) {
      const engine = createOnnxEngine({ intraOpThreads });
      texts.push((await engine.generate({ model: models.lm.dir, prompt: 'threads', maxTokens: 24 })).text);
      await engine.dispose();
    }
    expect(texts[1]).toBe(texts[0]);
  });
});
