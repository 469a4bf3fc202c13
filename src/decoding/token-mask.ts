import type { GrammarEngine } from './grammar/grammar-engine.ts';
import type { GrammarState } from './grammar/grammar-state.ts';
import type { TokenTrie } from './token-trie.ts';

/** A set of token ids as a bitset. */
export class TokenMask {
  /** One bit per token id. */
  readonly words: Uint32Array;

  constructor(
    /** Number of token ids covered. */
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32));
  }

  /** Whether `id` is in the set. */
  has(id: number): boolean {
    return id >= 0 && id < this.size && (((this.words[id >>> 5] as number) >>> (id & 31)) & 1) === 1;
  }

  /** Adds `id`. */
  add(id: number): void {
    this.words[id >>> 5] = (this.words[id >>> 5] as number) | (1 << (id & 31));
  }

  /** Removes every id. */
  clear(): void {
    this.words.fill(0);
  }

  /** Makes this set equal to `other` (same size). */
  copyFrom(other: TokenMask): void {
    this.words.set(other.words);
  }

  /** Number of ids in the set. */
  count(): number {
    let total = 0;
    for (let w of this.words) {
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      total += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }

  /** The ids in ascending order. */
  toArray(): number[] {
    const ids: number[] = [];
    this.words.forEach((word, i) => {
      for (let w = word; w !== 0; w &= w - 1) ids.push(i * 32 + (31 - Math.clz32(w & -w)));
    });
    return ids;
  }

  /**
   * Sets `logits[offset + id]` to -Infinity for every id of the `length` logits not in the set (ids at or
   * beyond `size`, e.g. a model's padded vocabulary, are always masked).
   */
  applyToLogits(logits: Float32Array | Float64Array, offset = 0, length = this.size): void {
    const limit = Math.min(length, this.size);
    const allowed = this.count();
    if (allowed * 8 < limit) {
      // Few tokens allowed (most steps outside strings): keep their values, fill the rest at memset speed.
      const ids = this.toArray();
      const kept = ids.map((id) => logits[offset + id] as number);
      logits.fill(Number.NEGATIVE_INFINITY, offset, offset + length);
      ids.forEach((id, i) => {
        if (id < limit) logits[offset + id] = kept[i] as number;
      });
      return;
    }
    for (let w = 0; w * 32 < limit; w++) {
      // Visit only the cleared bits of each word (lowest first).
      let cleared = ~(this.words[w] as number);
      if (w * 32 + 32 > limit) cleared &= (1 << (limit - w * 32)) - 1;
      for (; cleared !== 0; cleared &= cleared - 1) {
        logits[offset + w * 32 + 31 - Math.clz32(cleared & -cleared)] = Number.NEGATIVE_INFINITY;
      }
    }
    for (let id = limit; id < length; id++) logits[offset + id] = Number.NEGATIVE_INFINITY;
  }
}

/**
 * Writes into `out` every content token whose bytes the grammar accepts from `state`: a depth-first walk
 * of the token trie that advances the automaton one byte per edge and prunes rejected branches. Inside
 * unconstrained string content, subtrees of string-safe tokens are accepted without walking them (and at the
 * root, all string-safe tokens at once from the precomputed bitset).
 */
export function computeContentMask(
  grammar: GrammarEngine,
  state: GrammarState,
  trie: TokenTrie,
  out: TokenMask,
): void {
  out.clear();
  const words = out.words;
  const {
    firstChild,
    nextSibling,
    nodeByte,
    tokenStart,
    tokenIds,
    subtreeEnd,
    safeBelow,
    safePath,
    unitsBelow,
  } = trie;
  const rootBulk = grammar.plainRun(state) >= trie.maxSafeUnits;
  if (rootBulk) words.set(trie.safeTokens);

  const markRange = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const id = tokenIds[i] as number;
      words[id >>> 5] = (words[id >>> 5] as number) | (1 << (id & 31));
    }
  };
  const visit = (node: number, at: GrammarState): void => {
    const run = grammar.plainRun(at);
    const alreadyMarked = rootBulk && safePath[node] === 1;
    for (let child = firstChild[node] as number; child >= 0; child = nextSibling[child] as number) {
      if (run > 0 && safeBelow[child] === 1 && (unitsBelow[child] as number) <= run) {
        if (!alreadyMarked)
          markRange(tokenStart[child] as number, tokenStart[subtreeEnd[child] as number] as number);
        continue;
      }
      const next = grammar.advance(at, nodeByte[child] as number);
      if (next === undefined) continue;
      markRange(tokenStart[child] as number, tokenStart[child + 1] as number);
      if ((firstChild[child] as number) >= 0) visit(child, next);
    }
  };
  visit(0, state);
}
