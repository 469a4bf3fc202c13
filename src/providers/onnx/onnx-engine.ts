import { totalmem } from 'node:os';
import { SignetError } from '../../errors/index.ts';
import { importOptional } from '../../util/import-optional.ts';
import { decodingLoopOf, planDecoding } from './decoding-plan.ts';
import type { BatchEntry } from './generate-batch.ts';
import { createGenerationBatches, type PendingGeneration } from './generation-batches.ts';
import { intraOpThreadsFor, validateIntraOpThreads } from './intra-op-threads.ts';
import type { LoadedOnnxModel } from './load-onnx-model.ts';
import { type CachedModel, createModelCache } from './model-cache.ts';
import { estimateModelBytes, resolveModelRef } from './model-files.ts';
import type {
  OnnxEngineOptions,
  OnnxEngineWarning,
  OnnxLoadOptions,
  OnnxModelInfo,
  OnnxTask,
} from './onnx-engine-options.ts';
import type { OnnxEmbedRequest, OnnxGenerateRequest, OnnxGenerateResult } from './onnx-generate-request.ts';
import type { TypedDecodingCache } from './typed-decoding.ts';
import { validateGenerateRequest } from './validate-generate-request.ts';

/** Runs local ONNX models in-process through transformers.js. Build one with {@link createOnnxEngine}. */
export interface OnnxEngine {
  /** Loads (or returns the already loaded) model; see {@link OnnxLoadOptions} for device fallback. */
  load(modelRef: string, options?: OnnxLoadOptions): Promise<OnnxModelInfo>;
  /** Generates text; requests against one model run one at a time in arrival order. */
  generate(request: OnnxGenerateRequest): Promise<OnnxGenerateResult>;
  /** Embeds texts with mean pooling and L2 normalization (unit-length vectors). */
  embed(request: OnnxEmbedRequest): Promise<number[][]>;
  /** Loaded models, least recently used first. */
  models(): readonly OnnxModelInfo[];
  /** Warnings so far (device fallbacks, models over budget), oldest first; the last 100 are kept. */
  warnings(): readonly OnnxEngineWarning[];
  /**
   * Generate requests for one model the engine runs at once: batch rows (`maxBatchSize`) times the
   * threads that hold the model. More wait in its queue. Providers report it as `maxConcurrency`, which
   * the router's bulkhead admits; below it, concurrent requests could never share a batch.
   */
  concurrency(): number;
  /** Disposes every model after its queued requests finish; later calls reject. */
  dispose(): Promise<void>;
}

const CONTEXT_KEYS = ['max_position_embeddings', 'n_positions', 'max_seq_len', 'seq_length', 'n_ctx'];
const MAX_WARNINGS = 100;

/** What local models need (transformers.js brings onnxruntime-node with it). */
const LOCAL_STACK = {
  name: '@huggingface/transformers',
  install: '@huggingface/transformers',
  feature: 'Local ONNX models and encoders',
} as const;

function contextLengthOf(loaded: LoadedOnnxModel): number | undefined {
  const model = loaded.task === 'text-generation' ? loaded.model : loaded.extractor.model;
  const config = model.config as unknown as Record<string, unknown>;
  for (const key of CONTEXT_KEYS) {
    const value = config[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

/**
 * Creates an engine. Offline by default: every load passes `local_files_only`, so only local folders
 * (and models already in `cacheDir`) load unless `allowDownloads` is true. The engine never changes
 * transformers.js' module-global `env`, so engines with different settings can live in one process.
 */
export function createOnnxEngine(options: OnnxEngineOptions = {}): OnnxEngine {
  const defaultDevice = options.device ?? 'cpu';
  const defaultDtype = options.dtype ?? 'fp32';
  const allowDownloads = options.allowDownloads ?? false;
  const cacheDir = options.cacheDir;
  const threads = options.intraOpThreads ?? 'auto';
  validateIntraOpThreads(threads);
  const seen: OnnxEngineWarning[] = [];
  const warn = (warning: OnnxEngineWarning): void => {
    seen.push(warning);
    if (seen.length > MAX_WARNINGS) seen.shift();
    options.onWarning?.(warning);
  };
  const cache = createModelCache({
    budgetBytes: options.memoryBudgetBytes ?? Math.floor(totalmem() / 2),
    maxQueueLength: options.maxQueueLength ?? 64,
    onWarning: warn,
  });
  let closed = false;
  const maxBatchSize = options.maxBatchSize ?? 8;
  const batches = createGenerationBatches(maxBatchSize);
  let typedDecoding: TypedDecodingCache | undefined;
  // transformers.js loads on first use; the module is then kept, since each dynamic import() goes
  // through the module loader again (and through loader hooks when run with tsx). It is an optional
  // peer dependency: a library install without it fails here, with the line to run.
  let runtimeModule: Promise<typeof import('./onnx-runtime.ts')> | undefined;
  const runtime = () => {
    runtimeModule ??= importOptional(LOCAL_STACK, () => import('./onnx-runtime.ts'));
    return runtimeModule;
  };

  const assertOpen = (): void => {
    if (closed) {
      throw new SignetError(
        'SIGNET_PROVIDER_UNAVAILABLE',
        'The ONNX engine was disposed; create a new one with createOnnxEngine()',
      );
    }
  };

  const acquire = (ref: string, task: OnnxTask, load: OnnxLoadOptions): Promise<CachedModel> => {
    assertOpen();
    const device = load.device ?? defaultDevice;
    const dtype = load.dtype ?? defaultDtype;
    const key = JSON.stringify([task, ref, device, dtype]);
    const loadModel = async (): Promise<{ info: OnnxModelInfo; loaded: LoadedOnnxModel }> => {
      const { env, loadOnnxModel } = await runtime();
      const resolved = resolveModelRef(ref, cacheDir ?? env.cacheDir ?? undefined);
      // Known before loading for local folders and downloaded hub models; 0 (unknown) before a download.
      const filesBefore = await estimateModelBytes(resolved.folder, dtype);
      const source = {
        id: resolved.id,
        ref,
        allowDownloads,
        cacheDir,
        onProgress: options.onProgress,
        localFolder: resolved.kind === 'local' ? resolved.folder : undefined,
        intraOpThreads: intraOpThreadsFor(threads, filesBefore),
      };
      const outcome = await loadOnnxModel(source, task, device, dtype);
      for (const warning of outcome.warnings) warn(warning);
      const sizeBytes = filesBefore > 0 ? filesBefore : await estimateModelBytes(resolved.folder, dtype);
      const contextLength = contextLengthOf(outcome.loaded);
      const info = {
        ref,
        task,
        device: outcome.device,
        requestedDevice: device,
        dtype,
        sizeBytes,
        contextLength,
        intraOpThreads: source.intraOpThreads,
        ...(outcome.loaded.task === 'text-generation'
          ? { decoding: decodingLoopOf(planDecoding(outcome.loaded.model, outcome.device)) }
          : {}),
      };
      return { info, loaded: outcome.loaded };
    };
    return cache.acquire(key, loadModel, load.signal);
  };

  /** Runs `fn` in the model's queue; loads the model (engine defaults) when needed, reloads if evicted meanwhile. */
  const withModel = async <T>(
    ref: string,
    task: OnnxTask,
    signal: AbortSignal | undefined,
    fn: (entry: CachedModel) => Promise<T>,
  ): Promise<T> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      assertOpen();
      const entry =
        cache.find(ref, task) ?? (await acquire(ref, task, signal === undefined ? {} : { signal }));
      const outcome = await entry.queue.run(
        async () => (entry.disposed ? undefined : { value: await fn(entry) }),
        signal === undefined ? {} : { signal },
      );
      if (outcome !== undefined) return outcome.value;
    }
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `Model "${ref}" was evicted three times before it could run; raise memoryBudgetBytes or load fewer models`,
    );
  };

  return {
    async load(modelRef, loadOptions = {}) {
      return (await acquire(modelRef, loadOptions.task ?? 'text-generation', loadOptions)).info;
    },
    async generate(request) {
      validateGenerateRequest(request);
      // Requests waiting for the same model are generated together: whichever turn the queue gives
      // first takes every compatible waiting request (up to maxBatchSize) into one batched pass, and
      // requests that arrive while it runs join it between steps. Each caller gets its result as soon
      // as its own row finishes; a request served by another's batch finds itself settled at its turn.
      const item = batches.enqueue(request);
      // A request served by another's batch leaves the model's queue as soon as it is answered, so
      // requests that joined running batches do not fill the queue bound while those batches run on.
      const served = new AbortController();
      item.result.then(
        () => served.abort(),
        () => served.abort(),
      );
      const signal =
        request.signal === undefined ? served.signal : AbortSignal.any([request.signal, served.signal]);
      const toEntry = (pending: PendingGeneration): BatchEntry => ({
        request: pending.request,
        settle: (outcome) => batches.settle(pending, outcome),
      });
      withModel(request.model, 'text-generation', signal, async (entry) => {
        if (item.settled) return;
        if (entry.loaded.task !== 'text-generation')
          throw new Error('unreachable: cache returned an embedder');
        const { runBatch, createTypedDecodingCache } = await runtime();
        const lm = entry.loaded;
        await runBatch(lm, batches.take(item).map(toEntry), entry.info.contextLength, {
          device: entry.info.device,
          constraintFor: (schema) => {
            typedDecoding ??= createTypedDecodingCache();
            return typedDecoding.constraint(lm, schema);
          },
          ...(options.continuousBatching === false
            ? {}
            : { admit: (generating: number) => batches.join(item, maxBatchSize - generating).map(toEntry) }),
        });
      })
        .catch((error: unknown) => batches.settle(item, { ok: false, error }))
        .finally(() => batches.forget(item));
      return item.result;
    },
    async embed(request) {
      if (request.texts.length === 0) return [];
      return withModel(request.model, 'feature-extraction', request.signal, async (entry) => {
        if (entry.loaded.task !== 'feature-extraction')
          throw new Error('unreachable: cache returned a generator');
        const { embedTexts } = await runtime();
        return embedTexts(entry.loaded, request, options.embedBatchSize ?? 32);
      });
    },
    models: () => cache.list(),
    warnings: () => [...seen],
    concurrency: () => maxBatchSize,
    async dispose() {
      closed = true;
      await cache.clear();
    },
  };
}
