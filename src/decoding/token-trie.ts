import { scanStringContent } from './string-safety.ts';
import type { TokenVocabulary } from './token-vocabulary.ts';

/**
 * All content tokens of a vocabulary in one byte trie, stored as typed arrays in preorder: the subtree
 * of node n is nodes [n, subtreeEnd[n]) and its tokens are tokenIds[tokenStart[n] .. tokenStart[subtreeEnd[n]]).
 * Built once per vocabulary. Per node it also records whether every token below is "string-safe" from
 * that byte on (see string-safety.ts: content any string without a pattern accepts, whatever the
 * document around it), so mask computation can accept such subtrees wholesale inside strings.
 */
export interface TokenTrie {
  /** The vocabulary it indexes. */
  readonly vocabulary: TokenVocabulary;
  /** Number of nodes (node 0 is the root). */
  readonly nodeCount: number;
  /** Byte on the edge into each node. */
  readonly nodeByte: Uint8Array;
  /** First child of each node, or -1. */
  readonly firstChild: Int32Array;
  /** Next sibling of each node, or -1. */
  readonly nextSibling: Int32Array;
  /** One past the last node of each node's subtree. */
  readonly subtreeEnd: Int32Array;
  /** Start of each node's tokens in `tokenIds` (length nodeCount + 1). */
  readonly tokenStart: Int32Array;
  /** Token ids in preorder of the node where they end. */
  readonly tokenIds: Int32Array;
  /** 1 when every token below (and at) the node is string-safe from the node's byte on. */
  readonly safeBelow: Uint8Array;
  /** 1 when the bytes from the root to the node (inclusive) are string-safe and end between characters. */
  readonly safePath: Uint8Array;
  /** Most UTF-16 units any token below adds from the node's byte on (when safeBelow). */
  readonly unitsBelow: Int32Array;
  /** Tokens that are string-safe as a whole, as a bitset over token ids. */
  readonly safeTokens: Uint32Array;
  /** Most UTF-16 units of a string-safe token. */
  readonly maxSafeUnits: number;
  /** Longest token in bytes. */
  readonly maxTokenBytes: number;
}

function compareBytes(x: Uint8Array, y: Uint8Array): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Builds the trie of every content token of `vocabulary` (EOS and special tokens are left out). */
export function buildTokenTrie(vocabulary: TokenVocabulary): TokenTrie {
  const entries: { id: number; bytes: Uint8Array }[] = [];
  vocabulary.tokenBytes.forEach((bytes, id) => {
    if (bytes !== undefined && bytes.length > 0) entries.push({ id, bytes });
  });
  entries.sort((x, y) => compareBytes(x.bytes, y.bytes) || x.id - y.id);
  let capacity = 1;
  for (const entry of entries) capacity += entry.bytes.length;
  const nodeByte = new Uint8Array(capacity);
  const firstChild = new Int32Array(capacity).fill(-1);
  const nextSibling = new Int32Array(capacity).fill(-1);
  const subtreeEnd = new Int32Array(capacity);
  const tokenCount = new Int32Array(capacity);
  const safeBelow = new Uint8Array(capacity).fill(1);
  const safePath = new Uint8Array(capacity);
  const unitsBelow = new Int32Array(capacity);
  const safeTokens = new Uint32Array(Math.ceil(vocabulary.size / 32));
  const tokenIds = new Int32Array(entries.length);
  safePath[0] = 1;
  // Sorted keys arrive in preorder: keep the path of the previous key and share its common prefix.
  const path: number[] = [0];
  const lastChild: number[] = [-1];
  let nodes = 1;
  let previous: Uint8Array = new Uint8Array(0);
  let maxSafeUnits = 0;
  let maxTokenBytes = 0;
  entries.forEach(({ id, bytes }, order) => {
    let common = 0;
    while (common < bytes.length && common < previous.length && bytes[common] === previous[common]) common++;
    while (path.length > common + 1) subtreeEnd[path.pop() as number] = nodes;
    lastChild.length = path.length;
    for (let depth = common; depth < bytes.length; depth++) {
      const node = nodes++;
      const parent = path[depth] as number;
      nodeByte[node] = bytes[depth] as number;
      const sibling = lastChild[depth] ?? -1;
      if (sibling < 0) firstChild[parent] = node;
      else nextSibling[sibling] = node;
      lastChild[depth] = node;
      lastChild[depth + 1] = -1;
      path.push(node);
    }
    const boundary = new Uint8Array(bytes.length + 1);
    const whole = scanStringContent(bytes, 0, bytes.length, (position) => {
      boundary[position] = 1;
    });
    for (let depth = 1; depth <= bytes.length; depth++) {
      const node = path[depth] as number;
      const units = depth === 1 ? whole.units : scanStringContent(bytes, depth - 1, bytes.length).units;
      if (units < 0) safeBelow[node] = 0;
      else unitsBelow[node] = Math.max(unitsBelow[node] as number, units);
      if (boundary[depth] === 1) safePath[node] = 1;
    }
    const leaf = path[bytes.length] as number;
    tokenCount[leaf] = (tokenCount[leaf] as number) + 1;
    tokenIds[order] = id;
    if (whole.units >= 0) {
      safeTokens[id >>> 5] = (safeTokens[id >>> 5] as number) | (1 << (id & 31));
      maxSafeUnits = Math.max(maxSafeUnits, whole.units);
    }
    maxTokenBytes = Math.max(maxTokenBytes, bytes.length);
    previous = bytes;
  });
  while (path.length > 0) subtreeEnd[path.pop() as number] = nodes;
  const tokenStart = new Int32Array(nodes + 1);
  for (let n = 0; n < nodes; n++) tokenStart[n + 1] = (tokenStart[n] as number) + (tokenCount[n] as number);
  return {
    vocabulary,
    nodeCount: nodes,
    nodeByte: nodeByte.slice(0, nodes),
    firstChild: firstChild.slice(0, nodes),
    nextSibling: nextSibling.slice(0, nodes),
    subtreeEnd: subtreeEnd.slice(0, nodes),
    tokenStart,
    tokenIds,
    safeBelow: safeBelow.slice(0, nodes),
    safePath: safePath.slice(0, nodes),
    unitsBelow: unitsBelow.slice(0, nodes),
    safeTokens,
    maxSafeUnits,
    maxTokenBytes,
  };
}
