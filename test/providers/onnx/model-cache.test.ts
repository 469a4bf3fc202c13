import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoadedOnnxModel } from '../../../src/providers/onnx/load-onnx-model.ts';
import { createModelCache } from '../../../src/providers/onnx/model-cache.ts';
import type { OnnxEngineWarning, OnnxModelInfo } from '../../../src/providers/onnx/onnx-engine-options.ts';
import { createTinyModelFixtures, loadTextGenerator, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let models: TinyModelFixtures;

beforeAll(async () => {
  models = await createTinyModelFixtures();
});
afterAll(async () => {
  await models?.cleanup();
});

/** Loads a real tiny LM and describes it with the given estimated size. */
function loader(dir: string, sizeBytes: number) {
  return async (): Promise<{ info: OnnxModelInfo; loaded: LoadedOnnxModel }> => {
    const loaded = await loadTextGenerator(dir);
    const info: OnnxModelInfo = {
      ref: dir,
      task: 'text-generation',
      device: 'cpu',
      requestedDevice: 'cpu',
      dtype: 'fp32',
      sizeBytes,
      contextLength: 256,
      intraOpThreads: 1,
    };
    return { info, loaded };
  };
}

function disposeSpy(loaded: LoadedOnnxModel) {
  if (loaded.task !== 'text-generation') throw new Error('expected a text generator');
  return vi.spyOn(loaded.model, 'dispose');
}

describe('createModelCache', () => {
  it('disposes the least recently used model once the budget is exceeded', async () => {
    const cache = createModelCache({ budgetBytes: 150, maxQueueLength: 4, onWarning: () => {} });
    const a = await cache.acquire('a', loader(models.lm.dir, 100));
    const spyA = disposeSpy(a.loaded);
    const b = await cache.acquire('b', loader(models.otherLm.dir, 100));
    await b.queue.run(async () => undefined);
    await a.queue.run(async () => undefined, { internal: true });
    expect(spyA).toHaveBeenCalledTimes(1);
    expect(a.disposed).toBe(true);
    expect(cache.list().map((m) => m.ref)).toEqual([models.otherLm.dir]);
    await cache.clear();
    expect(b.disposed).toBe(true);
  });

  it('waits for requests already queued on an evicted model before disposing it', async () => {
    const cache = createModelCache({ budgetBytes: 150, maxQueueLength: 4, onWarning: () => {} });
    const a = await cache.acquire('a', loader(models.lm.dir, 100));
    const spyA = disposeSpy(a.loaded);
    let release: () => void = () => {};
    const running = a.queue.run(
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve(a.disposed ? 'disposed too early' : 'ran on a live model');
        }),
    );
    await cache.acquire('b', loader(models.otherLm.dir, 100));
    expect(spyA).not.toHaveBeenCalled();
    release();
    expect(await running).toBe('ran on a live model');
    await a.queue.run(async () => undefined, { internal: true });
    expect(spyA).toHaveBeenCalledTimes(1);
    await cache.clear();
  });

  it('shares one load between concurrent callers and warns about a model larger than the budget', async () => {
    const warnings: OnnxEngineWarning[] = [];
    const cache = createModelCache({
      budgetBytes: 10,
      maxQueueLength: 4,
      onWarning: (w) => warnings.push(w),
    });
    const load = vi.fn(loader(models.lm.dir, 100));
    const [x, y] = await Promise.all([cache.acquire('a', load), cache.acquire('a', load)]);
    expect(x).toBe(y);
    expect(load).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual([expect.objectContaining({ code: 'model-too-large-for-budget' })]);
    expect(cache.list()).toHaveLength(1);
    await cache.clear();
  });

  it('stops waiting for a load when the signal aborts, and keeps the loaded model', async () => {
    const cache = createModelCache({ budgetBytes: 1e9, maxQueueLength: 4, onWarning: () => {} });
    const controller = new AbortController();
    const load = vi.fn(loader(models.lm.dir, 100));
    const pending = cache.acquire('a', load, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    await expect(cache.acquire('a', load)).resolves.toMatchObject({ key: 'a' });
    expect(load).toHaveBeenCalledTimes(1);
    await cache.clear();
  });
});
