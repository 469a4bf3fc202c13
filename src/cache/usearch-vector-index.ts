import { SignetError } from '../errors/index.ts';
import { missingDependency } from '../util/import-optional.ts';
import type { VectorIndex, VectorNeighbor } from './vector-index.ts';

/** Options of {@link createUsearchIndex}. */
export interface UsearchIndexOptions {
  /** Dimension of the vectors. */
  readonly dimensions: number;
  /** Graph degree (HNSW `M`, default 16). */
  readonly connectivity?: number | undefined;
  /** Candidates explored per insertion (HNSW `efConstruction`, default 128). */
  readonly expansionAdd?: number | undefined;
  /**
   * Candidates explored per search (HNSW `ef`, default 128): at 100,000 vectors of 384 dimensions this
   * finds the planted near-duplicate 97% of the time, against 86% at 64 (`npm run bench -- --suite cache`).
   */
  readonly expansionSearch?: number | undefined;
  /**
   * How the index stores each vector (default `i8`): one byte per dimension. At 100,000 vectors of 384
   * dimensions on 2 cores it builds in 47 s instead of 104 s and searches at p99 1.5 ms instead of
   * 3.3 ms, finding the planted near-duplicate 96% of the time either way; `f32` keeps full precision.
   */
  readonly quantization?: 'i8' | 'f32' | undefined;
}

type Usearch = typeof import('usearch');

/**
 * An HNSW index on usearch (a native addon with prebuilt binaries). The addon is loaded on first use,
 * so programs that never use the semantic cache never load it.
 */
export async function createUsearchIndex(options: UsearchIndexOptions): Promise<VectorIndex> {
  const usearch = await loadUsearch();
  const { dimensions } = options;
  if (!Number.isInteger(dimensions) || dimensions <= 0) {
    throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
  }
  const index = new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: options.quantization === 'f32' ? usearch.ScalarKind.F32 : usearch.ScalarKind.I8,
    connectivity: options.connectivity ?? 16,
    expansion_add: options.expansionAdd ?? 128,
    expansion_search: options.expansionSearch ?? 128,
    multi: false,
  });
  const check = (vector: Float32Array) => {
    if (vector.length !== dimensions) {
      throw new RangeError(
        `A vector of ${vector.length} dimensions cannot join an index of ${dimensions}: the embedder changed; give it a new id`,
      );
    }
  };
  return {
    dimensions,
    size: () => index.size(),
    add(labels, vectors) {
      if (labels.length !== vectors.length) {
        throw new RangeError(`${labels.length} labels for ${vectors.length} vectors`);
      }
      if (labels.length === 0) return;
      const keys = BigUint64Array.from(labels, (label) => BigInt(label));
      // usearch keeps one vector per label only when the old one is removed first.
      for (const key of keys) if (index.contains(key) === true) index.remove(key);
      if (labels.length === 1) {
        const vector = vectors[0] as Float32Array;
        check(vector);
        index.add(keys, vector, 1);
        return;
      }
      // A batch goes in as one matrix, on every core (a rebuild after a restart).
      const matrix = new Float32Array(labels.length * dimensions);
      vectors.forEach((vector, i) => {
        check(vector);
        matrix.set(vector, i * dimensions);
      });
      index.add(keys, matrix, 0);
    },
    search(vector, k): VectorNeighbor[] {
      check(vector);
      if (index.size() === 0) return [];
      const found = index.search(vector, k, 1);
      const neighbors: VectorNeighbor[] = [];
      for (let i = 0; i < found.keys.length; i++) {
        neighbors.push({
          label: Number(found.keys[i]),
          similarity: 1 - (found.distances[i] as number),
        });
      }
      return neighbors;
    },
    remove: (label) => index.remove(BigInt(label)) !== 0,
  };
}

async function loadUsearch(): Promise<Usearch> {
  try {
    return await import('usearch');
  } catch (error) {
    const missing = missingDependency(
      { name: 'usearch', install: 'usearch@2.25.3', feature: "The semantic cache's vector index" },
      error,
    );
    if (missing !== undefined) throw missing;
    throw new SignetError(
      'SIGNET_SEMANTIC_UNAVAILABLE',
      `The semantic cache needs the usearch addon, which did not load on ${process.platform}-${process.arch}: ${String(error)}. Run \`npm rebuild usearch\` (it builds from source where no prebuilt binary exists), or turn the semantic cache off`,
      { cause: error },
    );
  }
}
