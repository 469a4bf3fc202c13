import type { ProgressInfo } from '@huggingface/transformers';
import type { OnnxDevice, OnnxDtype } from '../hardware/onnx-device.ts';
import type { IntraOpThreads } from './intra-op-threads.ts';
import type { OnnxWorkers } from './worker-count.ts';

/** What a loaded model is used for: chat/text generation or embeddings. */
export type OnnxTask = 'text-generation' | 'feature-extraction';

/** A problem the engine worked around (e.g. a device fallback), reported instead of thrown. */
export interface OnnxEngineWarning {
  /** Stable kind of the warning. */
  readonly code: 'device-fallback' | 'model-too-large-for-budget' | 'worker-restarted' | 'worker-stopped';
  /** Model reference the warning is about. */
  readonly model: string;
  /** What happened and what was done about it. */
  readonly message: string;
}

/** Options of `createOnnxEngine`. */
export interface OnnxEngineOptions {
  /** Device for loads that do not name one. Default `cpu`; use `chooseOnnxPlacement` to pick one. */
  readonly device?: OnnxDevice;
  /** Dtype for loads that do not name one. Default `fp32`. */
  readonly dtype?: OnnxDtype;
  /**
   * Allow downloading hub models (`org/name`) into `cacheDir`. Default false: the engine only reads local
   * files (each load passes `local_files_only`), so nothing touches the network unless this is true.
   */
  readonly allowDownloads?: boolean;
  /** Folder for downloaded hub models (`<cacheDir>/<org>/<name>/...`). Default: transformers.js' own cache. */
  readonly cacheDir?: string;
  /** Receives file loading and download progress. */
  readonly onProgress?: (progress: ProgressInfo) => void;
  /** Receives each warning as it happens (they are also listed by `engine.warnings()`). */
  readonly onWarning?: (warning: OnnxEngineWarning) => void;
  /**
   * Most bytes of loaded models (estimated by their ONNX file sizes) to keep; least recently used models
   * beyond it are disposed. Default: half of total system memory.
   */
  readonly memoryBudgetBytes?: number;
  /** Most requests that may wait per model before new ones are rejected (`SIGNET_PROVIDER_UNAVAILABLE`). Default 64. */
  readonly maxQueueLength?: number;
  /** Most concurrent generate requests for one model run as one batch (default 8; 1 disables batching). */
  readonly maxBatchSize?: number;
  /**
   * Let compatible requests join a running batch between decoding steps (default true; models on
   * signet's own decoding loop only). false: they wait until the running batch has finished.
   */
  readonly continuousBatching?: boolean;
  /** Texts embedded per forward pass. Default 32. */
  readonly embedBatchSize?: number;
  /**
   * Threads onnxruntime uses inside one model run (`intraOpNumThreads`). Default `auto`: one thread for
   * models under 16 MiB of weights (faster there, and no pool threads competing with the JavaScript thread),
   * onnxruntime's default (one per physical core) for larger ones or when the size is unknown. Set `1` on
   * small shared hosts where the JavaScript thread (HTTP, tokenization) must keep a core.
   */
  readonly intraOpThreads?: IntraOpThreads;
  /**
   * Worker threads of `createWorkerOnnxEngine` (the in-process `createOnnxEngine` runs on the calling
   * thread and ignores it). Each worker holds its own copy of every loaded model, so memory grows with
   * the count. Default `auto`: one per core for models under 16 MiB (capped by `memoryBudgetBytes`),
   * one for larger models; decided at the first load (see `workerCountFor`).
   */
  readonly workers?: OnnxWorkers;
}

/** Options of `engine.load`. */
export interface OnnxLoadOptions {
  /** What the model serves. Default `text-generation`. */
  readonly task?: OnnxTask;
  /** Device to try first; on failure the engine falls back to CPU and records a warning. */
  readonly device?: OnnxDevice;
  /** Weight format, which picks the `onnx/model*.onnx` file. */
  readonly dtype?: OnnxDtype;
  /** Stops waiting for the load (the load itself finishes in the background and stays cached). */
  readonly signal?: AbortSignal;
}

/** A model held by the engine. */
export interface OnnxModelInfo {
  /** The reference it was loaded by (folder path or hub id), as given. */
  readonly ref: string;
  /** What it serves. */
  readonly task: OnnxTask;
  /** Device it actually runs on (after any fallback). */
  readonly device: OnnxDevice;
  /** Device that was asked for. */
  readonly requestedDevice: OnnxDevice;
  /** Weight format in use. */
  readonly dtype: OnnxDtype;
  /** Estimated memory in bytes (ONNX file sizes); 0 when unknown. */
  readonly sizeBytes: number;
  /** Tokens the model can attend to (prompt + output), when its config says. */
  readonly contextLength: number | undefined;
  /** Threads onnxruntime uses inside one run of this model; undefined when its default (one per core) applies. */
  readonly intraOpThreads: number | undefined;
  /** Text generation only: which decoding loop runs the model. */
  readonly decoding?: OnnxDecodingLoop;
}

/**
 * signet's own decoding loop (plain key/value-cache decoders), or transformers.js' `generate()` with the
 * reason the model needs it (extra sessions, recurrent caches, generation-config processors).
 */
export type OnnxDecodingLoop =
  | { readonly loop: 'signet' }
  | { readonly loop: 'transformers.js'; readonly reason: string };
