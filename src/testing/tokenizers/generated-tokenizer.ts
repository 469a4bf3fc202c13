/** Which tokenizer family a generated tokenizer belongs to. */
export type GeneratedTokenizerFamily = 'byte-level-bpe' | 'sentencepiece-bpe' | 'sentencepiece-unigram';

/** A synthetic but valid tokenizer, in the files transformers.js loads. */
export interface GeneratedTokenizer {
  /** Family of the tokenizer. */
  readonly family: GeneratedTokenizerFamily;
  /** Contents of `tokenizer.json` (🤗 tokenizers format). */
  readonly tokenizerJson: Record<string, unknown>;
  /** Contents of `tokenizer_config.json`. */
  readonly tokenizerConfig: Record<string, unknown>;
  /** Total number of token ids, specials included. */
  readonly vocabSize: number;
  /** Id of the end-of-sequence token. */
  readonly eosTokenId: number;
}

/** Options shared by the tokenizer generators. */
export interface GenerateTokenizerOptions {
  /** Total vocabulary size, special and byte tokens included (scales to 150k+). */
  readonly vocabSize: number;
  /** Seed: the same seed and size always give the same tokenizer. Default 1. */
  readonly seed?: number;
}

/** Adds `token` (a list of symbols) and the left-branching merges that build it; false when full. */
export function addWithPrefixes(
  symbols: readonly string[],
  known: Map<string, number>,
  merges: [string, string][],
  limit: number,
): boolean {
  let prefix = symbols[0] ?? '';
  for (let i = 1; i < symbols.length; i++) {
    const next = prefix + (symbols[i] as string);
    if (!known.has(next)) {
      if (known.size >= limit) return false;
      known.set(next, known.size);
      merges.push([prefix, symbols[i] as string]);
    }
    prefix = next;
  }
  return true;
}
