import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Store } from '../store/store.ts';
import type { Embedder } from './embedder.ts';
import { inputsText } from './inputs-text.ts';
import type { CacheQuery } from './response-cache.ts';
import type { SemanticMatch, SemanticMatcher } from './semantic-matcher.ts';
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
/** Vectors added per turn of the event loop while rebuilding (~1 ms each at 384 dimensions). */
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
  const namespace = `${options.namespace ?? 'semantic'}.${createHash('sha256').update(embedder.id).digest('hex').slice(0, 16)}`;

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
  const put = (partition: Partition, key: string, inputsHash: string, vector: Float32Array) => {
    const label = partition.labels.get(inputsHash) ?? nextLabel++;
    partition.index.add([label], [vector]);
    partition.labels.set(inputsHash, label);
    partition.entries.set(label, { key, inputsHash });
  };
  /** Adds a partition's stored vectors, a few per turn, until done or the matcher is cleared. */
  const load = async (id: string, partition: Partition, current: () => boolean): Promise<void> => {
    let after: string | undefined;
    for (;;) {
      const page = await store.scan(namespace, { prefix: `${id}/`, after, limit: LOAD_PAGE });
      for (let start = 0; start < page.length; start += LOAD_CHUNK) {
        if (!current()) return;
        for (const entry of page.slice(start, start + LOAD_CHUNK)) {
          const inputsHash = entry.key.slice(id.length + 1);
          if (partition.labels.has(inputsHash)) continue; // remembered while loading: newer
          const stored = JSON.parse(entry.value) as StoredVector;
          const vector = decodeVector(stored.v);
          if (vector.length === partition.index.dimensions) put(partition, stored.k, inputsHash, vector);
        }
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
      put(partition, key, inputsHash, vector);
      const stored: StoredVector = { k: key, v: encodeVector(vector) };
      await store.set(namespace, `${id}/${inputsHash}`, JSON.stringify(stored), { ttlMs });
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
      await store.delete(namespace, `${id}/${inputsHash}`);
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

/** A vector as stored: the exact key its answer is under, and the float32 bytes in base64. */
interface StoredVector {
  readonly k: string;
  readonly v: string;
}

function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copy into an aligned buffer: a Buffer from the pool may start at an odd offset.
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  return vector;
}
