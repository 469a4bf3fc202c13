/**
 * A small byte trie over a fixed set of texts (enum labels as JSON, object keys with their quotes).
 * Node 0 is the root; `value(node)` is the index of the text that ends there, or -1.
 */
export interface LiteralTrie {
  /** Child of `node` on `byte`, or -1. */
  next(node: number, byte: number): number;
  /** Value (offset + index in the input list) of the text ending at `node`, or -1. */
  value(node: number): number;
  /** Whether `node` has any child. */
  hasChildren(node: number): boolean;
}

const encoder = new TextEncoder();

/**
 * Builds the trie of the UTF-8 bytes of `texts`, valued by `offset` + index in `texts` (a text listed
 * twice keeps its first index).
 */
export function buildLiteralTrie(texts: readonly string[], offset = 0): LiteralTrie {
  const edges: Map<number, number>[] = [new Map()];
  const values: number[] = [-1];
  texts.forEach((text, index) => {
    let node = 0;
    for (const byte of encoder.encode(text)) {
      const children = edges[node] as Map<number, number>;
      let child = children.get(byte);
      if (child === undefined) {
        child = edges.length;
        edges.push(new Map());
        values.push(-1);
        children.set(byte, child);
      }
      node = child;
    }
    if (values[node] === -1) values[node] = offset + index;
  });
  return {
    next: (node, byte) => edges[node]?.get(byte) ?? -1,
    value: (node) => values[node] ?? -1,
    hasChildren: (node) => (edges[node]?.size ?? 0) > 0,
  };
}
