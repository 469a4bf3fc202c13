import type { EntryToSet } from '../store/store.ts';
import { sha256Hex } from '../util/sha256-hex.ts';

/**
 * How the semantic matcher keeps vectors in a store, so an index can be rebuilt after a restart: one
 * namespace per embedder (`<prefix>.<sha256(embedder id), 16 hex>`: vectors of two embedders are never
 * compared), keyed `<partition>/<inputsHash>`, valued `{"k": exact key, "v": float32 bytes in base64}`.
 */
export const storedVectors = {
  namespace(prefix: string, embedderId: string): string {
    return `${prefix}.${sha256Hex(embedderId).slice(0, 16)}`;
  },
  key: (partition: string, inputsHash: string): string => `${partition}/${inputsHash}`,
  /** The entry of one vector, ready for `store.set()`/`store.setMany()`. */
  entry(
    partition: string,
    inputsHash: string,
    exactKey: string,
    vector: Float32Array,
    ttlMs: number,
  ): EntryToSet {
    const stored: StoredVector = {
      k: exactKey,
      v: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64'),
    };
    return { key: storedVectors.key(partition, inputsHash), value: JSON.stringify(stored), ttlMs };
  },
  /** Reads a stored value back: the exact key and the vector. */
  parse(value: string): { readonly exactKey: string; readonly vector: Float32Array } {
    const stored = JSON.parse(value) as StoredVector;
    const bytes = Buffer.from(stored.v, 'base64');
    // Copy into an aligned buffer: a Buffer from the pool may start at an odd offset.
    const vector = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(vector.buffer).set(bytes);
    return { exactKey: stored.k, vector };
  },
};

interface StoredVector {
  readonly k: string;
  readonly v: string;
}
