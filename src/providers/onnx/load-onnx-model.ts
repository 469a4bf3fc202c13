import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  type FeatureExtractionPipeline,
  ModelFileNotFoundError,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type PretrainedModelOptions,
  type ProgressInfo,
  pipeline,
} from '@huggingface/transformers';
import { SignetError } from '../../errors/index.ts';
import type { OnnxDevice, OnnxDtype } from '../hardware/onnx-device.ts';
import { listModelDtypes } from './model-files.ts';
import type { OnnxEngineWarning, OnnxTask } from './onnx-engine-options.ts';

/** A causal LM ready to generate. */
export interface LoadedTextGenerator {
  /** Discriminant. */
  readonly task: 'text-generation';
  /** Its tokenizer (chat template included). */
  readonly tokenizer: PreTrainedTokenizer;
  /** The model. */
  readonly model: PreTrainedModel;
}

/** An encoder ready to embed. */
export interface LoadedEmbedder {
  /** Discriminant. */
  readonly task: 'feature-extraction';
  /** transformers.js feature-extraction pipeline (tokenizer + model). */
  readonly extractor: FeatureExtractionPipeline;
}

/** A loaded model of either kind. */
export type LoadedOnnxModel = LoadedTextGenerator | LoadedEmbedder;

/** Where the model files may come from. */
export interface ModelSource {
  /** Folder path or hub id passed to `from_pretrained`. */
  readonly id: string;
  /** The reference as the caller gave it, for messages. */
  readonly ref: string;
  /** Whether hub downloads are allowed (otherwise every load passes `local_files_only`). */
  readonly allowDownloads: boolean;
  /** Folder for downloaded files. */
  readonly cacheDir: string | undefined;
  /** Absolute folder when the reference is a local path (checked for required files before loading). */
  readonly localFolder: string | undefined;
  /** Progress callback for file loads. */
  readonly onProgress: ((progress: ProgressInfo) => void) | undefined;
  /** onnxruntime's `intraOpNumThreads` for the model's sessions; undefined keeps its default. */
  readonly intraOpThreads: number | undefined;
}

/** Loaded model plus the placement it actually got and any fallback warning. */
export interface LoadOutcome {
  /** The model. */
  readonly loaded: LoadedOnnxModel;
  /** Device it runs on. */
  readonly device: OnnxDevice;
  /** Warnings raised while loading (device fallback). */
  readonly warnings: readonly OnnxEngineWarning[];
}

async function loadOnce(
  source: ModelSource,
  task: OnnxTask,
  device: OnnxDevice,
  dtype: OnnxDtype,
): Promise<LoadedOnnxModel> {
  const options: PretrainedModelOptions = {
    local_files_only: !source.allowDownloads,
    device,
    dtype,
    ...(source.cacheDir === undefined ? {} : { cache_dir: source.cacheDir }),
    ...(source.onProgress === undefined ? {} : { progress_callback: source.onProgress }),
    ...(source.intraOpThreads === undefined
      ? {}
      : { session_options: { intraOpNumThreads: source.intraOpThreads } }),
  };
  if (task === 'feature-extraction') {
    return { task, extractor: await pipeline('feature-extraction', source.id, options) };
  }
  const { device: _device, dtype: _dtype, ...tokenizerOptions } = options;
  const [tokenizer, model] = await Promise.allSettled([
    AutoTokenizer.from_pretrained(source.id, tokenizerOptions),
    AutoModelForCausalLM.from_pretrained(source.id, options),
  ]);
  if (tokenizer.status === 'fulfilled' && model.status === 'fulfilled') {
    return { task, tokenizer: tokenizer.value, model: model.value };
  }
  if (model.status === 'fulfilled') await model.value.dispose();
  throw model.status === 'rejected' ? model.reason : (tokenizer as PromiseRejectedResult).reason;
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** For a local folder, fails fast with the list of missing files (transformers.js' own errors are cryptic here). */
async function checkLocalFolder(source: ModelSource, dtype: OnnxDtype): Promise<void> {
  if (source.localFolder === undefined) return;
  const folder = source.localFolder;
  const missing: string[] = [];
  for (const file of REQUIRED_FILES) {
    try {
      await access(join(folder, file));
    } catch {
      missing.push(file);
    }
  }
  if (missing.length === 0) return;
  throw new SignetError(
    'SIGNET_MODEL_NOT_FOUND',
    `Model folder "${folder}" lacks ${missing.join(', ')}; point to a folder exported for transformers.js (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx)`,
    { details: { model: source.ref, dtype, missing } },
  );
}

function translateLoadError(
  error: unknown,
  source: ModelSource,
  device: OnnxDevice,
  dtype: OnnxDtype,
): SignetError {
  if (SignetError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (
    error instanceof ModelFileNotFoundError ||
    /file was not found locally|Could not locate file/i.test(message)
  ) {
    const hint = source.allowDownloads
      ? 'check the model id and network access'
      : 'point to a folder with config.json, tokenizer.json and onnx/model.onnx, or create the engine with allowDownloads: true to fetch a hub model';
    return new SignetError(
      'SIGNET_MODEL_NOT_FOUND',
      `Model "${source.ref}" (dtype ${dtype}) is missing files: ${message}; ${hint}`,
      {
        cause: error,
        details: { model: source.ref, dtype },
      },
    );
  }
  return new SignetError(
    'SIGNET_MODEL_INVALID',
    `Model "${source.ref}" could not be loaded on ${device} with dtype ${dtype}: ${message}. Check that it is an ONNX export transformers.js supports`,
    { cause: error, details: { model: source.ref, device, dtype } },
  );
}

/**
 * Loads a model on `device`; when that fails on a non-CPU device for a reason other than missing files
 * (e.g. CUDA requested on Linux without the CUDA binaries), retries on CPU with the same dtype and
 * reports a `device-fallback` warning. Missing files fail at once with `SIGNET_MODEL_NOT_FOUND`.
 */
export async function loadOnnxModel(
  source: ModelSource,
  task: OnnxTask,
  device: OnnxDevice,
  dtype: OnnxDtype,
): Promise<LoadOutcome> {
  await checkLocalFolder(source, dtype);
  try {
    return { loaded: await loadOnce(source, task, device, dtype), device, warnings: [] };
  } catch (error) {
    const translated = translateLoadError(error, source, device, dtype);
    if (translated.code === 'SIGNET_MODEL_NOT_FOUND' && source.localFolder !== undefined) {
      const dtypes = await listModelDtypes(source.localFolder);
      throw new SignetError(
        'SIGNET_MODEL_NOT_FOUND',
        `${translated.message}; this folder has dtypes: ${dtypes.join(', ') || 'none'} (pick one of them)`,
        { cause: error, details: { ...translated.details, availableDtypes: dtypes } },
      );
    }
    if (device === 'cpu' || translated.code === 'SIGNET_MODEL_NOT_FOUND') throw translated;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const hint =
      device === 'cuda' && /shared library|libonnxruntime_providers/i.test(reason ?? '')
        ? ' (onnxruntime-node has no CUDA binaries; reinstall it without ONNXRUNTIME_NODE_INSTALL=skip to use the GPU)'
        : '';
    const warning: OnnxEngineWarning = {
      code: 'device-fallback',
      model: source.ref,
      message: `Loading "${source.ref}" on ${device} failed: ${reason}${hint}; fell back to cpu`,
    };
    try {
      return { loaded: await loadOnce(source, task, 'cpu', dtype), device: 'cpu', warnings: [warning] };
    } catch (cpuError) {
      throw translateLoadError(cpuError, source, 'cpu', dtype);
    }
  }
}
