import { totalmem } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { SignetError } from '../../errors/index.ts';
import {
  type FromEngineWorker,
  loadOptionsToData,
  type ToEngineWorker,
  type WorkerEngineSettings,
  type WorkerGenerateRequest,
  type WorkerResultValue,
} from './engine-worker-protocol.ts';
import { validateIntraOpThreads } from './intra-op-threads.ts';
import { estimateModelBytes, resolveModelRef } from './model-files.ts';
import type { OnnxEngine } from './onnx-engine.ts';
import type { OnnxEngineOptions, OnnxEngineWarning, OnnxModelInfo } from './onnx-engine-options.ts';
import type { OnnxGenerateResult } from './onnx-generate-request.ts';
import { createRestartBudget } from './restart-budget.ts';
import { startEngineWorker } from './start-engine-worker.ts';
import { validateGenerateRequest } from './validate-generate-request.ts';
import { validateWorkers, workerCountFor } from './worker-count.ts';
import { fromWorkerError } from './worker-error.ts';

const MAX_WARNINGS = 100;
/** A worker that stops is replaced, at most this often: 3 times a minute. */
const RESTARTS = { max: 3, windowMs: 60_000 };

/** One worker thread running a full in-process engine. */
interface Replica {
  readonly worker: Worker;
  /** Requests in flight per model (generate), to spread one model's requests over replicas. */
  readonly perModel: Map<string, number>;
  /** Calls in flight of any kind. */
  total: number;
  /** When it last took a call (dispatch count), to rotate among equally loaded replicas. */
  lastUsed: number;
  /** The worker's loaded models as of its last answer. */
  models: readonly OnnxModelInfo[];
  /** Generate requests of this tick, sent as one message so the worker batches them. */
  outbox: { id: number; request: WorkerGenerateRequest }[];
  alive: boolean;
  /** False while a replacement worker reloads the models of the one that stopped. */
  ready: boolean;
}

/** A call waiting for its worker's answer. */
interface Call {
  readonly replica: Replica;
  readonly model: string | undefined;
  readonly resolve: (value: WorkerResultValue) => void;
  readonly reject: (error: unknown) => void;
  readonly onToken: ((delta: string) => void) | undefined;
}

const aborted = (what: string, signal: AbortSignal): SignetError =>
  new SignetError('SIGNET_ABORTED', `${what} aborted by the caller`, { cause: signal.reason });

/**
 * Creates an engine whose models run in worker threads, with the same interface as the in-process
 * `createOnnxEngine`: onnxruntime's synchronous runs no longer block the caller's event loop, and with
 * several workers (replicas of each model) concurrent requests use several cores. Each worker runs a
 * full in-process engine (batching, prefix sharing, model cache); a request goes to the worker with
 * the fewest in-flight requests for its model, and requests sent in the same tick to one worker are
 * batched there. `workers` (default `auto`, see `workerCountFor`) is fixed at the first load.
 */
export function createWorkerOnnxEngine(options: OnnxEngineOptions = {}): OnnxEngine {
  const setting = options.workers ?? 'auto';
  validateWorkers(setting);
  validateIntraOpThreads(options.intraOpThreads ?? 'auto');
  const budgetBytes = options.memoryBudgetBytes ?? Math.floor(totalmem() / 2);
  const { onProgress, onWarning, workers: _workers, ...rest } = options;
  const settings: WorkerEngineSettings = { ...rest, forwardProgress: onProgress !== undefined };
  const replicas: Replica[] = [];
  const calls = new Map<number, Call>();
  const seen: OnnxEngineWarning[] = [];
  let nextId = 1;
  let dispatches = 0;
  let closed = false;
  let sized: Promise<void> | undefined;
  let started = false;
  // Infos cross as copies; hand out one object per distinct info, as the in-process engine does.
  const infos = new Map<string, OnnxModelInfo>();
  const shared = (info: OnnxModelInfo): OnnxModelInfo => {
    const key = JSON.stringify(info);
    const known = infos.get(key);
    if (known !== undefined) return known;
    infos.set(key, info);
    return info;
  };

  const warn = (warning: OnnxEngineWarning): void => {
    // Every replica loads the same models, so one event arrives once per worker: keep it once.
    if (
      seen.some((w) => w.code === warning.code && w.model === warning.model && w.message === warning.message)
    )
      return;
    seen.push(warning);
    if (seen.length > MAX_WARNINGS) seen.shift();
    onWarning?.(warning);
  };

  const settle = (id: number): Call | undefined => {
    const call = calls.get(id);
    if (call === undefined) return undefined;
    calls.delete(id);
    const { replica, model } = call;
    if (model !== undefined) replica.perModel.set(model, (replica.perModel.get(model) ?? 1) - 1);
    replica.total--;
    // An idle worker does not keep the process alive (like an idle in-process engine).
    if (replica.total === 0) replica.worker.unref();
    return call;
  };

  const restarts = createRestartBudget(RESTARTS);
  let restarted = 0;

  const stopped = (replica: Replica, reason: string): void => {
    if (!replica.alive) return;
    replica.alive = false;
    for (const [id, call] of calls) {
      if (call.replica !== replica) continue;
      settle(id);
      call.reject(
        new SignetError('SIGNET_PROVIDER_UNAVAILABLE', `The ONNX engine worker stopped: ${reason}`, {
          details: { reason },
        }),
      );
    }
    if (!closed) restart(replica, reason);
  };

  /**
   * Replaces a worker that stopped (a native crash, an out-of-memory kill of its isolate) and reloads
   * the models it held with the same device and dtype. Its in-flight calls have already failed with
   * the retryable SIGNET_PROVIDER_UNAVAILABLE; new calls prefer the other workers until it is ready.
   */
  const restart = (dead: Replica, reason: string): void => {
    const models = dead.models.map((info) => info.ref);
    if (!restarts.take()) {
      warn({
        code: 'worker-stopped',
        model: models.join(', '),
        message: `An ONNX engine worker stopped (${reason}) and was not restarted: ${RESTARTS.max} restarts within ${RESTARTS.windowMs / 1000} s already`,
      });
      return;
    }
    restarted += 1;
    const fresh = spawn();
    fresh.ready = false;
    // Until its first answer says otherwise, it holds what it is reloading (should it stop again).
    fresh.models = dead.models;
    replicas[replicas.indexOf(dead)] = fresh;
    const loads = dead.models.map((info) => {
      const id = nextId++;
      const done = track(fresh, id, undefined, undefined);
      post(fresh, {
        type: 'load',
        id,
        modelRef: info.ref,
        options: loadOptionsToData({ task: info.task, device: info.requestedDevice, dtype: info.dtype }),
      });
      return done;
    });
    void Promise.allSettled(loads).then(() => {
      fresh.ready = true;
    });
    warn({
      code: 'worker-restarted',
      model: models.join(', '),
      message: `An ONNX engine worker stopped (${reason}); replacement ${restarted} started${models.length > 0 ? ` and is reloading ${models.join(', ')}` : ''}`,
    });
  };

  const spawn = (): Replica => {
    const worker = startEngineWorker({ settings });
    worker.unref();
    const replica: Replica = {
      worker,
      perModel: new Map(),
      total: 0,
      lastUsed: 0,
      models: [],
      outbox: [],
      alive: true,
      ready: true,
    };
    worker.on('message', (message: FromEngineWorker) => {
      switch (message.type) {
        case 'delta':
          calls.get(message.id)?.onToken?.(message.text);
          return;
        case 'result':
          replica.models = message.models;
          settle(message.id)?.resolve(message.value);
          return;
        case 'error':
          replica.models = message.models;
          settle(message.id)?.reject(fromWorkerError(message.error));
          return;
        case 'warning':
          warn(message.warning);
          return;
        case 'progress':
          onProgress?.(message.progress);
          return;
      }
    });
    worker.on('error', (error) => stopped(replica, error.message));
    worker.on('exit', (code) => stopped(replica, `exited with code ${code}`));
    return replica;
  };

  /** Starts the workers: a fixed count at once, `auto` at the first model (its size decides). */
  const ensureWorkers = (modelRef: string, dtype: OnnxEngineOptions['dtype']): Promise<void> => {
    sized ??= (async () => {
      let modelBytes = 0;
      if (setting === 'auto') {
        // Unknown (0) when the ref cannot be resolved here: the load itself then reports why.
        try {
          const resolved = resolveModelRef(modelRef, options.cacheDir);
          modelBytes = await estimateModelBytes(resolved.folder, dtype ?? options.dtype ?? 'fp32');
        } catch {
          modelBytes = 0;
        }
      }
      const count = workerCountFor(setting, { modelBytes, budgetBytes });
      while (replicas.length < count) replicas.push(spawn());
      started = true;
    })();
    return sized;
  };

  /** Waits for the workers only before they exist, so later calls are dispatched in the caller's tick. */
  const workersFor = async (modelRef: string, dtype: OnnxEngineOptions['dtype']): Promise<void> => {
    if (started) return;
    await ensureWorkers(modelRef, dtype);
    assertOpen();
  };

  const assertOpen = (): void => {
    if (closed) {
      throw new SignetError(
        'SIGNET_PROVIDER_UNAVAILABLE',
        'The ONNX engine was disposed; create a new one with createWorkerOnnxEngine()',
      );
    }
  };

  const live = (): Replica[] => {
    const alive = replicas.filter((r) => r.alive);
    if (alive.length === 0) {
      throw new SignetError(
        'SIGNET_PROVIDER_UNAVAILABLE',
        'Every ONNX engine worker has stopped; see the earlier errors and create a new engine',
      );
    }
    return alive;
  };

  /** Live workers that hold their models; a replacement still reloading serves only when no other can. */
  const serving = (): Replica[] => {
    const alive = live();
    const ready = alive.filter((r) => r.ready);
    return ready.length > 0 ? ready : alive;
  };

  /**
   * The live replica with the fewest requests in flight for `model`, then overall. Among equally loaded
   * ones the most recently used wins: its thread is awake and its caches are hot, so one request at a
   * time stays on one replica (sending every eighth to another cost 10% of one-at-a-time speed on the
   * local bench, 0.90x vs 1.01x raw transformers.js), and the others take the overflow of concurrent
   * requests.
   */
  const pick = (model: string | undefined): Replica => {
    let best: Replica | undefined;
    dispatches += 1;
    for (const r of serving()) {
      if (best === undefined) {
        best = r;
        continue;
      }
      const a = model === undefined ? 0 : (r.perModel.get(model) ?? 0);
      const b = model === undefined ? 0 : (best.perModel.get(model) ?? 0);
      if (a !== b || r.total !== best.total) {
        if (a < b || (a === b && r.total < best.total)) best = r;
        continue;
      }
      if (r.lastUsed > best.lastUsed) best = r;
    }
    const chosen = best as Replica;
    chosen.lastUsed = dispatches;
    return chosen;
  };

  /** Registers a call on `replica` (counted as in flight until its answer); the caller posts it. */
  const track = (
    replica: Replica,
    id: number,
    model: string | undefined,
    onToken: ((delta: string) => void) | undefined,
  ): Promise<WorkerResultValue> =>
    new Promise<WorkerResultValue>((resolve, reject) => {
      if (replica.total === 0) replica.worker.ref();
      replica.total++;
      if (model !== undefined) replica.perModel.set(model, (replica.perModel.get(model) ?? 0) + 1);
      calls.set(id, { replica, model, resolve, reject, onToken });
    });

  /** Rejects the call when `signal` aborts; the worker is told to stop it. */
  const cancelOn = (signal: AbortSignal | undefined, id: number, what: string): (() => void) => {
    if (signal === undefined) return () => {};
    const onAbort = (): void => {
      const call = calls.get(id);
      if (call === undefined) return;
      const queued = call.replica.outbox.findIndex((o) => o.id === id);
      if (queued >= 0) {
        // Not sent yet: drop it here.
        call.replica.outbox.splice(queued, 1);
        settle(id);
        call.reject(aborted(what, signal));
        return;
      }
      // The worker's engine rejects it with SIGNET_ABORTED, which crosses back as is.
      post(call.replica, { type: 'cancel', id });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  };

  const post = (replica: Replica, message: ToEngineWorker): void => {
    if (replica.alive) replica.worker.postMessage(message);
  };

  const flush = (replica: Replica): void => {
    const requests = replica.outbox;
    replica.outbox = [];
    if (requests.length > 0) post(replica, { type: 'generate', requests });
  };

  return {
    async load(modelRef, loadOptions = {}) {
      assertOpen();
      const { signal } = loadOptions;
      if (signal?.aborted === true) throw aborted('Loading', signal);
      await workersFor(modelRef, loadOptions.dtype);
      // Every replica loads the model, so any of them can serve it.
      const loads = live().map((replica) => {
        const id = nextId++;
        const done = track(replica, id, undefined, undefined);
        post(replica, { type: 'load', id, modelRef, options: loadOptionsToData(loadOptions) });
        return done;
      });
      const all = Promise.all(loads);
      if (signal === undefined) return shared((await all)[0] as OnnxModelInfo);
      // Like the in-process engine, an abort stops the waiting; the loads finish and stay cached.
      all.catch(() => {});
      return new Promise<OnnxModelInfo>((resolve, reject) => {
        const onAbort = (): void => reject(aborted('Loading', signal));
        signal.addEventListener('abort', onAbort, { once: true });
        all
          .then(
            (loaded) => resolve(shared(loaded[0] as OnnxModelInfo)),
            (error: unknown) => reject(error),
          )
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    async generate(request) {
      assertOpen();
      validateGenerateRequest(request);
      if (request.constraint !== undefined) {
        throw new SignetError(
          'SIGNET_CONFIG_INVALID',
          'A TokenConstraint object cannot cross into an engine worker; pass jsonSchema instead, or use the in-process createOnnxEngine()',
        );
      }
      const { signal, onToken, constraint: _constraint, ...fields } = request;
      if (signal?.aborted === true) throw aborted('Generation', signal);
      if (!started) await workersFor(request.model, undefined);
      const replica = pick(request.model);
      const id = nextId++;
      const done = track(replica, id, request.model, onToken);
      if (replica.outbox.push({ id, request: { ...fields, stream: onToken !== undefined } }) === 1)
        setImmediate(() => flush(replica));
      const release = cancelOn(signal, id, 'Generation');
      try {
        return (await done) as OnnxGenerateResult;
      } finally {
        release();
      }
    },
    async embed(request) {
      assertOpen();
      if (request.texts.length === 0) return [];
      const { signal } = request;
      if (signal?.aborted === true) throw aborted('Embedding', signal);
      if (!started) await workersFor(request.model, undefined);
      const replica = pick(undefined);
      const id = nextId++;
      const done = track(replica, id, undefined, undefined);
      post(replica, { type: 'embed', id, model: request.model, texts: request.texts });
      const release = cancelOn(signal, id, 'Embedding');
      try {
        return (await done) as number[][];
      } finally {
        release();
      }
    },
    models() {
      // Replicas hold the same models; list each once, in the first worker's LRU order.
      const byKey = new Map<string, OnnxModelInfo>();
      for (const replica of replicas) {
        for (const info of replica.models) {
          const key = JSON.stringify([info.task, info.ref, info.requestedDevice, info.dtype]);
          if (!byKey.has(key)) byKey.set(key, shared(info));
        }
      }
      return [...byKey.values()];
    },
    warnings: () => [...seen],
    // Before the first load the worker count is not decided yet: one worker's worth.
    concurrency: () => (options.maxBatchSize ?? 8) * Math.max(1, replicas.length),
    async dispose() {
      closed = true;
      // Each worker disposes its engine after its queued requests, then exits.
      await Promise.all(
        replicas.map(async (replica) => {
          flush(replica);
          if (replica.alive) {
            const id = nextId++;
            const done = track(replica, id, undefined, undefined);
            post(replica, { type: 'dispose', id });
            await done.catch(() => {});
          }
          // Anything still waiting on this worker (sent after its engine closed) fails like a disposed engine.
          stopped(replica, 'the engine was disposed');
          await replica.worker.terminate();
        }),
      );
    },
  };
}
