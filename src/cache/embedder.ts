/** Turns texts into vectors whose cosine similarity says how close their meanings are. */
export interface Embedder {
  /**
   * Names the model (e.g. its folder or `openai/text-embedding-3-small`). Vectors of different
   * embedders are never compared: the semantic cache keeps them apart by this id.
   */
  readonly id: string;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
