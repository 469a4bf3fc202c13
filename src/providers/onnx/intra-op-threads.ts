import { SignetError } from '../../errors/index.ts';

/** How many threads onnxruntime may use inside one model run: a count, or `auto` (see {@link intraOpThreadsFor}). */
export type IntraOpThreads = number | 'auto';

/**
 * Below this many bytes of ONNX weights, `auto` runs a model on one thread. Measured on a 2-core host
 * (docs/local-models.md): generated decoders of 0.2 MB and 1.9 MB generate 5-10% faster on one thread
 * than with onnxruntime's default pool; at 12.9 MB batch 1 ties and batch 8 is 15-25% faster; at 26 MB
 * and above the default pool wins at batch 1 (+40%). With a neighbour busy on the other core, the default
 * pool lost up to half its speed on the small models while one thread kept most of it.
 */
export const SINGLE_THREAD_MAX_BYTES = 16 * 2 ** 20;

/**
 * The `intraOpNumThreads` session option for a model of `modelBytes` (0 when unknown), or undefined for
 * onnxruntime's default (one thread per physical core). `auto` picks one thread for small models, whose
 * operators take microseconds: splitting them costs more than it saves, and the pool's spinning threads
 * compete with the JavaScript thread that prepares every step.
 */
export function intraOpThreadsFor(setting: IntraOpThreads, modelBytes: number): number | undefined {
  if (setting === 'auto') return modelBytes > 0 && modelBytes < SINGLE_THREAD_MAX_BYTES ? 1 : undefined;
  return setting;
}

/** Throws `SIGNET_CONFIG_INVALID` unless `setting` is `auto` or a positive integer. */
export function validateIntraOpThreads(setting: IntraOpThreads): void {
  if (setting === 'auto' || (Number.isInteger(setting) && setting >= 1)) return;
  throw new SignetError(
    'SIGNET_CONFIG_INVALID',
    `intraOpThreads must be 'auto' or a positive integer, got ${String(setting)}; leave it unset for 'auto'`,
    { details: { intraOpThreads: setting } },
  );
}
