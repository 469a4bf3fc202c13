import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Store } from '../store/store.ts';
import type { Embedder } from './embedder.ts';
import { inputsText } from './inputs-text.ts';
import type { CacheQuery } from './response-cache.ts';
import type { SemanticMatch, SemanticMatcher } from './semantic-matcher.ts';
import { storedVectors } from './stored-vector.ts';
import { createUsearchIndex, type UsearchIndexOptions } from './usearch-vector-index.ts';
import type { VectorIndex } from './vector-index.ts';

/** Options of {@link createSemanticMatcher}. */
export interface SemanticMatcherOptions {
  /** Turns inputs into vectors (`createOnnxEmbedder()`, `embedderFromProvider()`). */
  readonly embedder: Embedder;
  /** Where the vectors are kept, so the index is rebuilt after a restart (the cache's store). */
  readonly store: Store;
  /** Namespace prefix of the vectors in the store (default `semantic`; the embedder's id is added). */
  readonly namespace?: string | undefined;
  /** Lowest cosine similarity that counts as the same question (default 0.92). */
  readonly threshold?: number | undefined;
  /** How long a vector is kept, in ms (default 24 h, as the cache's answers). */
  readonly ttlMs?: number | undefined;
  /** Size bound of the vectors in the store in bytes (default 256 MiB). */
  readonly maxBytes?: number | undefined;
  /** Trim the stored vectors after this many are remembered (default 1000). */
  readonly trimEvery?: number | undefined;
  /**
   * How long the first lookup of a partition after a restart waits for its index to be rebuilt from the
   * store, in ms (default 100); a bigger index goes on loading in the background while lookups search
   * what is loaded so far.
   */
  readonly loadWaitMs?: number | undefined;
  /** HNSW settings of each partition's index. */
  readonly index?: Omit<UsearchIndexOptions, 'dimensions'> | undefined;
}

/** One partition's index (signature, program state, model and parameters): matches never leave it. */
interface Partition {
  readonly index: VectorIndex;
  /** What each label stands for. */
  readonly entries: Map<number, { readonly key: string; readonly inputsHash: string }>;
  readonly labels: Map<string, number>;
  /** Resolves once the stored vectors are in the index (searches before that see what is loaded). */
  loaded: Promise<void>;
}

/** Vectors read from the store per page while an index is rebuilt. */
const LOAD_PAGE = 256;
/**
 * Vectors added per turn of the event loop while rebuilding, as one batch on every core: HNSW insertion
 * costs ~0.4 ms of wall time per vector at 20,000 (2 cores) and ~1 ms at 100,000, so a turn blocks for
 * a few ms; bigger batches are no faster (`npm run bench -- --suite cache`).
 */
const LOAD_CHUNK = 8;
/** Neighbours asked for, so a forgotten label left in the graph does not hide a live one. */
const NEIGHBORS = 4;

/**
 * A semantic matcher: embeds a query's inputs (`inputsText()`), looks for the closest inputs answered
 * before in the same partition, and matches at `threshold` or above. Each partition has its own HNSW
 * index (usearch); vectors are also written to the store, and an index is rebuilt from there in the
 * background the first time its partition is used after a restart. The embedding a miss computed is
 * reused when its answer is remembered.
 */
export function createSemanticMatcher(options: SemanticMatcherOptions): SemanticMatcher {
  const { embedder, store } = options;
  const threshold = options.threshold ?? 0.92;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  }
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const trimEvery = options.trimEvery ?? 1_000;
  const loadWaitMs = options.loadWaitMs ?? 100;
  // Vectors of another embedder are never compared: each embedder has its own namespace.
  const namespace = storedVectors.namespace(options.namespace ?? 'semantic', embedder.id);

  const embeddings = new WeakMap<CacheQuery, Promise<Float32Array>>();
  const embeddingOf = (query: CacheQuery): Promise<Float32Array> => {
    let vector = embeddings.get(query);
    if (vector === undefined) {
      vector = embedder.embed([inputsText(query.inputs)], query.signal).then((vectors) => {
        const [first] = vectors;
        if (first === undefined) throw new Error(`Embedder "${embedder.id}" returned no vector`);
        return first;
      });
      embeddings.set(query, vector);
    }
    return vector;
  };

  let partitions = new Map<string, Promise<Partition>>();
  let nextLabel = 1;
  const partitionFor = (id: string, dimensions: number): Promise<Partition> => {
    let partition = partitions.get(id);
    if (partition === undefined) {
      const owner = partitions;
      partition = createUsearchIndex({ dimensions, ...options.index }).then((index) => {
        const created: Partition = {
          index,
          entries: new Map(),
          labels: new Map(),
          loaded: Promise.resolve(),
        };
        created.loaded = load(id, created, () => partitions === owner);
        return created;
      });
      partitions.set(id, partition);
      partition.catch(() => partitions.delete(id)); // a failed index is retried next time
    }
    return partition;
  };
  /** Adds vectors to a partition's index, each under its inputs' label (a new one the first time). */
  const put = (partition: Partition, items: readonly IndexedVector[]) => {
    const labels = items.map((item) => partition.labels.get(item.inputsHash) ?? nextLabel++);
    partition.index.add(
      labels,
      items.map((item) => item.vector),
    );
    items.forEach((item, i) => {
      const label = labels[i] as number;
      partition.labels.set(item.inputsHash, label);
      partition.entries.set(label, { key: item.key, inputsHash: item.inputsHash });
    });
  };
  /** Adds a partition's stored vectors, a batch per turn, until done or the matcher is cleared. */
  const load = async (id: string, partition: Partition, current: () => boolean): Promise<void> => {
    let after: string | undefined;
    for (;;) {
      const page = await store.scan(namespace, { prefix: `${id}/`, after, limit: LOAD_PAGE });
      for (let start = 0; start < page.length; start += LOAD_CHUNK) {
        if (!current()) return;
        const batch: IndexedVector[] = [];
        for (const entry of page.slice(start, start + LOAD_CHUNK)) {
          const inputsHash = entry.key.slice(id.length + 1);
          if (partition.labels.has(inputsHash)) continue; // remembered while loading: newer
          const { exactKey, vector } = storedVectors.parse(entry.value);
          if (vector.length === partition.index.dimensions) batch.push({ key: exactKey, inputsHash, vector });
        }
        put(partition, batch);
        await nextTurn();
      }
      if (page.length < LOAD_PAGE) return;
      after = page[page.length - 1]?.key;
    }
  };

  let sinceTrim = 0;
  return {
    async match(query) {
      const vector = await embeddingOf(query);
      const partition = await partitionFor(query.keys.partition, vector.length);
      await settledWithin(partition.loaded, loadWaitMs);
      let best: SemanticMatch | undefined;
      for (const neighbor of partition.index.search(vector, NEIGHBORS)) {
        const entry = partition.entries.get(neighbor.label);
        if (entry === undefined || neighbor.similarity < threshold) continue;
        if (best === undefined || neighbor.similarity > best.similarity) {
          best = {
            key: entry.key,
            inputsHash: entry.inputsHash,
            similarity: Math.min(1, neighbor.similarity),
          };
        }
      }
      return best;
    },
    async remember(query) {
      const vector = await embeddingOf(query);
      const { partition: id, key, inputsHash } = query.keys;
      const partition = await partitionFor(id, vector.length);
      put(partition, [{ key, inputsHash, vector }]);
      const entry = storedVectors.entry(id, inputsHash, key, vector, ttlMs);
      await store.set(namespace, entry.key, entry.value, entry);
      if (++sinceTrim >= trimEvery) {
        sinceTrim = 0;
        await store.trim(namespace, maxBytes);
      }
    },
    async forget(id, inputsHash) {
      const partition = await partitions.get(id)?.catch(() => undefined);
      const label = partition?.labels.get(inputsHash);
      if (partition !== undefined && label !== undefined) {
        partition.index.remove(label);
        partition.labels.delete(inputsHash);
        partition.entries.delete(label);
      }
      await store.delete(namespace, storedVectors.key(id, inputsHash));
    },
    async clear() {
      partitions = new Map(); // loads in progress see they are stale and stop
      await store.clear(namespace);
    },
  };
}

/** Waits for a promise, but no longer than `ms`; its failure is not this caller's. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.catch(() => undefined), timeout]);
  clearTimeout(timer);
}

/** A vector on its way into an index: the exact key its answer is under, and its inputs' hash. */
interface IndexedVector {
  readonly key: string;
  readonly inputsHash: string;
  readonly vector: Float32Array;
}
