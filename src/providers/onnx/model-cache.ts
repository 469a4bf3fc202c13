import { SignetError } from '../../errors/index.ts';
import { disposeLoadedModel } from './dispose-loaded-model.ts';
import type { LoadedOnnxModel } from './load-onnx-model.ts';
import type { OnnxEngineWarning, OnnxModelInfo, OnnxTask } from './onnx-engine-options.ts';
import { createRequestQueue, type RequestQueue } from './request-queue.ts';

/** One model held by the cache, with the queue that serializes its requests. */
export interface CachedModel {
  /** Cache key: task, reference, requested device and dtype. */
  readonly key: string;
  /** Public description. */
  readonly info: OnnxModelInfo;
  /** The loaded sessions. */
  readonly loaded: LoadedOnnxModel;
  /** Requests against this model run through here, one at a time. */
  readonly queue: RequestQueue;
  /** Set (inside the queue) once the model was evicted and disposed; callers then load it again. */
  disposed: boolean;
}

/** Options of {@link createModelCache}. */
export interface ModelCacheOptions {
  /** Most estimated bytes to keep loaded. */
  readonly budgetBytes: number;
  /** Most requests waiting per model. */
  readonly maxQueueLength: number;
  /** Receives warnings (a single model larger than the budget). */
  readonly onWarning: (warning: OnnxEngineWarning) => void;
}

/** Loaded models, least recently used first, bounded by a memory budget. */
export interface ModelCache {
  /** Returns the cached model for `key`, or loads it once (concurrent callers share the load). */
  acquire(
    key: string,
    load: () => Promise<{ info: OnnxModelInfo; loaded: LoadedOnnxModel }>,
    signal?: AbortSignal,
  ): Promise<CachedModel>;
  /** The most recently used model loaded under `ref` for `task`, if any (counts as a use). */
  find(ref: string, task: OnnxTask): CachedModel | undefined;
  /** Descriptions of the loaded models, least recently used first. */
  list(): OnnxModelInfo[];
  /** Disposes every model once its queued requests have finished. */
  clear(): Promise<void>;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  const abortError = (): SignetError =>
    new SignetError('SIGNET_ABORTED', 'Stopped waiting for the model to load', { cause: signal.reason });
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Creates an LRU cache of loaded models. After each load, least recently used models are evicted until
 * the total estimated size fits the budget; an evicted model is disposed by a task queued behind its
 * pending requests, so no running generation loses its session.
 */
export function createModelCache(options: ModelCacheOptions): ModelCache {
  const entries = new Map<string, CachedModel>();
  const loading = new Map<string, Promise<CachedModel>>();

  const touch = (entry: CachedModel): void => {
    entries.delete(entry.key);
    entries.set(entry.key, entry);
  };
  const retire = (entry: CachedModel): Promise<void> => {
    entries.delete(entry.key);
    return entry.queue.run(
      async () => {
        if (entry.disposed) return;
        entry.disposed = true;
        await disposeLoadedModel(entry.loaded);
      },
      { internal: true },
    );
  };
  const enforceBudget = (newest: CachedModel): void => {
    let total = 0;
    for (const entry of entries.values()) total += entry.info.sizeBytes;
    for (const entry of [...entries.values()]) {
      if (total <= options.budgetBytes) break;
      if (entry === newest) continue;
      total -= entry.info.sizeBytes;
      void retire(entry);
    }
    if (newest.info.sizeBytes > options.budgetBytes) {
      options.onWarning({
        code: 'model-too-large-for-budget',
        model: newest.info.ref,
        message: `"${newest.info.ref}" needs ~${newest.info.sizeBytes} bytes, more than the ${options.budgetBytes}-byte budget; kept loaded anyway`,
      });
    }
  };

  return {
    acquire(key, load, signal) {
      const cached = entries.get(key);
      if (cached !== undefined && !cached.disposed) {
        touch(cached);
        return Promise.resolve(cached);
      }
      let pending = loading.get(key);
      if (pending === undefined) {
        pending = load()
          .then(({ info, loaded }) => {
            const entry: CachedModel = {
              key,
              info,
              loaded,
              queue: createRequestQueue({ maxPending: options.maxQueueLength, name: info.ref }),
              disposed: false,
            };
            entries.set(key, entry);
            enforceBudget(entry);
            return entry;
          })
          .finally(() => loading.delete(key));
        loading.set(key, pending);
      }
      return raceAbort(pending, signal);
    },
    find(ref, task) {
      const match = [...entries.values()].filter((e) => e.info.ref === ref && e.info.task === task).at(-1);
      if (match !== undefined) touch(match);
      return match;
    },
    list() {
      return [...entries.values()].map((e) => e.info);
    },
    async clear() {
      await Promise.all([...loading.values()].map((p) => p.catch(() => undefined)));
      await Promise.all([...entries.values()].map(retire));
    },
  };
}
