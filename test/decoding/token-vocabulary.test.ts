import { PreTrainedTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import {
  buildTokenTrie,
  vocabularyFromTokenizer,
  vocabularyFromTokenizerJson,
  vocabularyFromTokens,
} from '../../src/decoding/index.ts';
import { SignetError } from '../../src/index.ts';
import {
  generateByteLevelBpeTokenizer,
  generateSentencePieceTokenizer,
} from '../../src/testing/tokenizers/index.ts';

const TEXT = '{"answer": "Café ☕ 中文 😀 \\u00e9\\n", "n": -0.5E+3, "list": []}';

const generated = [
  generateByteLevelBpeTokenizer({ vocabSize: 3000, seed: 11 }),
  generateSentencePieceTokenizer({ vocabSize: 3000, seed: 11 }),
  generateSentencePieceTokenizer({ vocabSize: 3000, seed: 11, model: 'unigram' }),
];

describe.each(generated)('vocabularies of generated tokenizers ($family)', (tokenizerFiles) => {
  const tokenizer = new PreTrainedTokenizer(tokenizerFiles.tokenizerJson, tokenizerFiles.tokenizerConfig);
  const vocabulary = vocabularyFromTokenizer(tokenizer);

  it('has exactly the requested size and finds the EOS token from the config', () => {
    expect(vocabulary.size).toBe(tokenizerFiles.vocabSize);
    expect(vocabulary.eosTokenIds).toEqual([tokenizerFiles.eosTokenId]);
    expect(vocabulary.tokenBytes[tokenizerFiles.eosTokenId]).toBeUndefined();
  });

  it('maps every token to the bytes transformers.js decodes it to', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let id = 0; id < vocabulary.size; id++) {
      const bytes = vocabulary.tokenBytes[id];
      if (bytes === undefined) continue;
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        continue; // a piece of a character: checked in sequences below
      }
      // SentencePiece decoders strip one leading space of the whole text; compare behind a marker token.
      const marker = tokenizer.encode('x', { add_special_tokens: false });
      expect(tokenizer.decode([...marker, id]), `token ${id}`).toBe(`x${text}`);
    }
  });

  it('round-trips encoded text byte for byte, split characters included', () => {
    const ids = tokenizer.encode(TEXT, { add_special_tokens: false });
    const bytes = ids.flatMap((id) => [...(vocabulary.tokenBytes[id] ?? [])]);
    const decoded = new TextDecoder().decode(Uint8Array.from(bytes));
    expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe(decoded.replace(/^ /, ''));
  });
});

describe('token vocabularies', () => {
  it('reads ▁ as a space and <0xNN> as one raw byte in SentencePiece vocabularies', () => {
    const files = generateSentencePieceTokenizer({ vocabSize: 1000, seed: 2 });
    const vocabulary = vocabularyFromTokenizerJson(files.tokenizerJson, {
      tokenizerConfig: files.tokenizerConfig,
    });
    const model = files.tokenizerJson.model as { vocab: Record<string, number> };
    expect(vocabulary.family).toBe('sentencepiece');
    expect(vocabulary.tokenBytes[model.vocab['<0xC3>'] as number]).toEqual(Uint8Array.of(0xc3));
    expect(vocabulary.tokenBytes[model.vocab['▁"'] as number]).toEqual(new TextEncoder().encode(' "'));
    expect(vocabulary.tokenBytes[model.vocab['<s>'] as number]).toBeUndefined();
  });

  it('maps GPT-2 byte characters back to bytes in byte-level vocabularies', () => {
    const files = generateByteLevelBpeTokenizer({ vocabSize: 1000, seed: 2 });
    const vocabulary = vocabularyFromTokenizerJson(files.tokenizerJson, {
      tokenizerConfig: files.tokenizerConfig,
    });
    const model = files.tokenizerJson.model as { vocab: Record<string, number> };
    expect(vocabulary.family).toBe('byte-level');
    expect(vocabulary.tokenBytes[model.vocab['Ġ"'] as number]).toEqual(new TextEncoder().encode(' "'));
    expect(vocabulary.tokenBytes[model.vocab.Ċ as number]).toEqual(Uint8Array.of(0x0a));
    expect(vocabulary.tokenBytes[model.vocab.Ã as number]).toEqual(Uint8Array.of(0xc3));
  });

  it('takes EOS ids from the options first, and fails when none can be found', () => {
    const files = generateByteLevelBpeTokenizer({ vocabSize: 1000, seed: 2 });
    expect(vocabularyFromTokenizerJson(files.tokenizerJson, { eosTokenIds: [5, 6] }).eosTokenIds).toEqual([
      5, 6,
    ]);
    const noSpecials = { ...files.tokenizerJson, added_tokens: [] };
    const model = { ...(files.tokenizerJson.model as object), vocab: { a: 0, b: 1 } };
    expect(() => vocabularyFromTokenizerJson({ ...noSpecials, model })).toThrow(SignetError);
  });

  it('rejects WordPiece (encoder) tokenizers with SIGNET_MODEL_INVALID', () => {
    const wordPiece = { model: { type: 'WordPiece', vocab: { '[CLS]': 0 } }, decoder: { type: 'WordPiece' } };
    expect(() => vocabularyFromTokenizerJson(wordPiece)).toThrow(/WordPiece/);
  });

  it('builds a trie whose subtrees list exactly the tokens sharing a prefix', () => {
    const vocabulary = vocabularyFromTokens(['a', 'ab', 'abc', 'b', 'ab', undefined, '"x'], [5]);
    const trie = buildTokenTrie(vocabulary);
    const a = trie.firstChild[0] as number;
    expect(trie.nodeByte[a]).toBe(0x22); // '"' sorts first
    const ids = (node: number): number[] =>
      [
        ...trie.tokenIds.subarray(trie.tokenStart[node], trie.tokenStart[trie.subtreeEnd[node] as number]),
      ].sort();
    const nodeA = trie.nextSibling[a] as number;
    expect(ids(nodeA)).toEqual([0, 1, 2, 4]);
    expect(trie.maxTokenBytes).toBe(3);
    expect(trie.safeTokens[0]).toBe(0b1_1111); // '"x' is not string-safe; 5 is EOS
  });
});
