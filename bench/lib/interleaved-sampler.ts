/** One side of an A/B comparison. */
export interface SamplerVariant {
  /** Name the samples are reported under. */
  readonly name: string;
  /** Prepares a batch, untimed (e.g. a fresh provider so recorded calls don't pile up); returns the call. */
  readonly prepareBatch: () => () => Promise<unknown>;
}

/** How long and in what steps to sample. */
export interface SamplerOptions {
  readonly variants: readonly SamplerVariant[];
  /** Warm-up time (JIT, caches), alternating variants like the measurement; discarded. */
  readonly warmupMs: number;
  /** Measuring time for all variants together. */
  readonly durationMs: number;
  /** Calls per batch: each variant runs one batch per round. */
  readonly batchSize: number;
  /** Stops between batches. */
  readonly signal?: AbortSignal;
  /** Called after each batch with overall progress (0..1, warm-up included). */
  readonly onProgress?: (fraction: number, phase: 'warm-up' | 'measure') => void;
  /** Clock in ms (defaults to `performance.now`); injectable for tests. */
  readonly now?: () => number;
}

/** Per-call timings of one variant. */
export interface VariantSamples {
  readonly name: string;
  /** Duration of each measured call, in µs. */
  readonly samplesUs: readonly number[];
  /** Wall time of all measured batches, in ms (throughput = calls / wall time). */
  readonly wallMs: number;
}

/**
 * Times every call of each variant in interleaved batches: each round runs one batch of every variant,
 * and the order flips every round (AB, BA, AB...), so drift (thermal, GC, JIT) lands on both sides alike.
 * Warm-up rounds run the same way first and are thrown away.
 */
export async function sampleInterleaved(options: SamplerOptions): Promise<VariantSamples[]> {
  const now = options.now ?? (() => performance.now());
  const total = options.warmupMs + options.durationMs;
  const samples = options.variants.map(() => [] as number[]);
  const wall = options.variants.map(() => 0);
  const warmupStart = now();
  let round = 0;
  // At least one warm-up round and one measured round, whatever the durations.
  do {
    for (const index of orderOf(round++, options.variants.length)) {
      await runBatch(options.variants[index] as SamplerVariant, options.batchSize, now, undefined);
    }
    options.signal?.throwIfAborted();
    options.onProgress?.(Math.min(1, (now() - warmupStart) / total), 'warm-up');
  } while (now() - warmupStart < options.warmupMs);

  const measureStart = now();
  round = 0;
  do {
    for (const index of orderOf(round++, options.variants.length)) {
      const variant = options.variants[index] as SamplerVariant;
      wall[index] = (wall[index] ?? 0) + (await runBatch(variant, options.batchSize, now, samples[index]));
    }
    options.signal?.throwIfAborted();
    const fraction = (options.warmupMs + now() - measureStart) / total;
    options.onProgress?.(Math.min(1, fraction), 'measure');
  } while (now() - measureStart < options.durationMs);

  return options.variants.map((variant, index) => ({
    name: variant.name,
    samplesUs: samples[index] ?? [],
    wallMs: wall[index] ?? 0,
  }));
}

/** Variant order of a round: forward on even rounds, reversed on odd ones. */
export function orderOf(round: number, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  return round % 2 === 0 ? order : order.reverse();
}

async function runBatch(
  variant: SamplerVariant,
  size: number,
  now: () => number,
  into: number[] | undefined,
): Promise<number> {
  const call = variant.prepareBatch();
  const batchStart = now();
  for (let i = 0; i < size; i++) {
    const start = now();
    await call();
    into?.push((now() - start) * 1000);
  }
  return now() - batchStart;
}
