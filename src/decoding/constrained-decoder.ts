import { SignetError } from '../errors/signet-error.ts';
import type { GrammarState } from './grammar/grammar-state.ts';
import { advanceBytes } from './json-schema-grammar.ts';
import { TokenMask } from './token-mask.ts';
import type { TokenMasker } from './token-masker.ts';

/**
 * One constrained generation: which tokens may come next, and the text so far. A logits processor
 * calls `mask()` before sampling and `accept()` with the sampled token.
 */
export interface ConstrainedDecoder {
  /**
   * Tokens allowed next: content tokens that keep the text inside the grammar, plus the EOS ids exactly
   * when the text is a complete document (when nothing else can follow, EOS is the only choice). Valid
   * until the next `accept`; do not modify it. Once EOS was accepted, only EOS (a finished sequence
   * keeps padding with it).
   */
  mask(): TokenMask;
  /** Records the sampled token; throws SIGNET_INTERNAL when it was not allowed. */
  accept(tokenId: number): void;
  /** The text so far is a complete document (EOS allowed now). */
  readonly isComplete: boolean;
  /** EOS was accepted. */
  readonly isFinished: boolean;
  /** The text decoded so far (UTF-8; a character split across tokens shows once complete). */
  readonly text: string;
  /** The accepted token ids, EOS included. */
  readonly tokens: readonly number[];
  /** The grammar state after the accepted tokens. */
  readonly state: GrammarState;
}

/** Starts a constrained generation over a masker (one per grammar and tokenizer, shared across generations). */
export function createConstrainedDecoder(masker: TokenMasker): ConstrainedDecoder {
  const { grammar, trie } = masker;
  const vocabulary = trie.vocabulary;
  const eos = new Set(vocabulary.eosTokenIds);
  const tokens: number[] = [];
  const out = new TokenMask(vocabulary.size);
  let bytes = new Uint8Array(256);
  let length = 0;
  let state: GrammarState = grammar.initial;
  let finished = false;
  let maskedState: GrammarState | undefined;

  const fail = (message: string, details: Record<string, unknown>): SignetError =>
    new SignetError('SIGNET_INTERNAL', message, { details });
  const append = (piece: Uint8Array): void => {
    if (length + piece.length > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, length + piece.length));
      grown.set(bytes.subarray(0, length));
      bytes = grown;
    }
    bytes.set(piece, length);
    length += piece.length;
  };

  return {
    mask() {
      if (finished) {
        out.clear();
        for (const id of vocabulary.eosTokenIds) out.add(id);
        maskedState = undefined;
        return out;
      }
      if (maskedState === state) return out;
      out.copyFrom(masker.contentMask(state));
      const complete = grammar.isComplete(state);
      if (complete) for (const id of vocabulary.eosTokenIds) out.add(id);
      if (!complete && out.count() === 0) {
        throw fail(
          'Typed decoding reached a state no token can continue (the vocabulary lacks a needed byte)',
          {
            text: new TextDecoder().decode(bytes.subarray(0, length)),
          },
        );
      }
      maskedState = state;
      return out;
    },
    accept(tokenId) {
      if (finished && !eos.has(tokenId)) throw fail('Typed decoding already ended with EOS', { tokenId });
      if (finished) return;
      if (eos.has(tokenId)) {
        if (!grammar.isComplete(state)) throw fail('EOS before the JSON document was complete', { tokenId });
        tokens.push(tokenId);
        finished = true;
        return;
      }
      const piece = vocabulary.tokenBytes[tokenId];
      const next = piece === undefined ? undefined : advanceBytes(grammar, state, piece);
      if (piece === undefined || next === undefined) {
        throw fail(`Token ${tokenId} is not allowed here by the output schema`, { tokenId });
      }
      tokens.push(tokenId);
      append(piece);
      state = next;
    },
    get isComplete() {
      return grammar.isComplete(state);
    },
    get isFinished() {
      return finished;
    },
    get text() {
      return new TextDecoder().decode(bytes.subarray(0, length));
    },
    get tokens() {
      return tokens;
    },
    get state() {
      return state;
    },
  };
}
