/** The closest vector an index holds to a query. */
export interface VectorNeighbor {
  /** Label it was added under. */
  readonly label: number;
  /** Cosine similarity to the query, in [-1, 1]. */
  readonly similarity: number;
}

/** An approximate nearest-neighbour index of vectors by cosine similarity. */
export interface VectorIndex {
  /** Dimension every vector must have. */
  readonly dimensions: number;
  /** Vectors it holds. */
  size(): number;
  /** Adds vectors under their labels (a label already there is replaced). */
  add(labels: readonly number[], vectors: readonly Float32Array[]): void;
  /** The `k` nearest vectors, closest first. */
  search(vector: Float32Array, k: number): VectorNeighbor[];
  /** Removes a label; true when it was there. */
  remove(label: number): boolean;
}
