/** Width of the fake's embeddings. */
export const FAKE_EMBEDDING_DIM = 8;

/** A deterministic unit vector for a text (FNV-1a hash spread over `dim` components). */
export function fakeEmbedding(text: string, dim = FAKE_EMBEDDING_DIM): number[] {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const vector: number[] = [];
  for (let i = 0; i < dim; i++) {
    hash = Math.imul(hash ^ (hash >>> 13), 0x5bd1e995) >>> 0;
    vector.push(hash / 0x1_0000_0000 - 0.5);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => Number((value / norm).toFixed(7)));
}

/** A rough token count for usage fields: one per 4 characters, at least 1. */
export function roughTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The texts of an `input` field: a string or an array of strings. */
export function inputTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  return Array.isArray(input)
    ? input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    : [];
}
