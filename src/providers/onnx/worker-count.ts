import { availableParallelism } from 'node:os';
import { SignetError } from '../../errors/index.ts';
import { SINGLE_THREAD_MAX_BYTES } from './intra-op-threads.ts';

/** How many engine worker threads to run: a count, or `auto` (see {@link workerCountFor}). */
export type OnnxWorkers = number | 'auto';

/** What `auto` looks at. */
export interface WorkerCountInputs {
  /** ONNX file bytes of the first model loaded; 0 when unknown (a hub model not downloaded yet). */
  readonly modelBytes: number;
  /** The engine's memory budget for loaded models; every worker holds its own copy of each model. */
  readonly budgetBytes: number;
  /** Cores available to this process. Default `os.availableParallelism()`. */
  readonly cores?: number;
}

/**
 * Worker threads for a setting. `auto` gives one worker per core for models under 16 MiB of weights
 * (those run onnxruntime on one thread each, see `SINGLE_THREAD_MAX_BYTES`, so replicas are what puts
 * the other cores to work), capped by how many copies fit the memory budget; larger or unknown-size
 * models get one worker: their onnxruntime thread pool already spreads each run over every core, and a
 * second copy of a multi-GB model would double its memory for little gain. Examples: the 0.2 MB test
 * model on 2 cores -> 2; a 12 MB model, 4 cores, 12 GiB budget -> 4; a 1.3 GB q8 model -> 1.
 */
export function workerCountFor(setting: OnnxWorkers, inputs: WorkerCountInputs): number {
  if (setting !== 'auto') return setting;
  const { modelBytes, budgetBytes } = inputs;
  if (modelBytes <= 0 || modelBytes >= SINGLE_THREAD_MAX_BYTES) return 1;
  const cores = inputs.cores ?? availableParallelism();
  return Math.max(1, Math.min(cores, Math.floor(budgetBytes / modelBytes)));
}

/** Throws `SIGNET_CONFIG_INVALID` unless `setting` is `auto` or a positive integer. */
export function validateWorkers(setting: OnnxWorkers): void {
  if (setting === 'auto' || (Number.isInteger(setting) && setting >= 1)) return;
  throw new SignetError(
    'SIGNET_CONFIG_INVALID',
    `workers must be 'auto' or a positive integer, got ${String(setting)}; leave it unset for 'auto'`,
    { details: { workers: setting } },
  );
}
