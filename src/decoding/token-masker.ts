import type { GrammarEngine } from './grammar/grammar-engine.ts';
import type { GrammarState } from './grammar/grammar-state.ts';
import { computeContentMask, TokenMask } from './token-mask.ts';
import type { TokenTrie } from './token-trie.ts';

/** Counters of a masker's cache. */
export interface MaskCacheStats {
  /** Masks served from the cache. */
  readonly hits: number;
  /** Masks computed by walking the trie. */
  readonly misses: number;
  /** Masks held now. */
  readonly size: number;
}

/** Options of {@link createTokenMasker}. */
export interface TokenMaskerOptions {
  /** Memory budget for cached masks, in bytes. Default 32 MiB (~1,700 masks at a 150k vocabulary). */
  readonly maxCacheBytes?: number;
}

/**
 * Allowed content tokens per grammar state for one grammar and one tokenizer, cached by state
 * fingerprint (least recently used dropped first). Share one masker between generations with the same
 * schema and tokenizer: the states of a schema repeat, so later generations mostly hit the cache.
 */
export interface TokenMasker {
  /** The grammar followed. */
  readonly grammar: GrammarEngine;
  /** The tokenizer's trie. */
  readonly trie: TokenTrie;
  /** Content tokens (EOS excluded) allowed after `state`. Shared and read-only: do not modify it. */
  contentMask(state: GrammarState): TokenMask;
  /** Cache counters. */
  stats(): MaskCacheStats;
}

/** Creates a masker for `grammar` over `trie`. */
export function createTokenMasker(
  grammar: GrammarEngine,
  trie: TokenTrie,
  options: TokenMaskerOptions = {},
): TokenMasker {
  const size = trie.vocabulary.size;
  const maskBytes = Math.ceil(size / 32) * 4 + 64;
  const maxEntries = Math.max(8, Math.floor((options.maxCacheBytes ?? 32 * 1024 * 1024) / maskBytes));
  // Two states with equal fingerprints accept the same tokens of up to clip - 1 bytes.
  const clip = trie.maxTokenBytes + 1;
  const cache = new Map<string, TokenMask>();
  let hits = 0;
  let misses = 0;
  return {
    grammar,
    trie,
    contentMask(state) {
      const key = grammar.fingerprint(state, clip);
      const cached = cache.get(key);
      if (cached !== undefined) {
        hits++;
        cache.delete(key);
        cache.set(key, cached);
        return cached;
      }
      misses++;
      const mask = new TokenMask(size);
      computeContentMask(grammar, state, trie, mask);
      cache.set(key, mask);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return mask;
    },
    stats: () => ({ hits, misses, size: cache.size }),
  };
}
