import { describe, expect, it } from 'vitest';
import {
  buildByteLevelBpeVocab,
  byteToUnicode,
  TINY_SPECIAL_TOKENS,
} from '../../../src/testing/tiny-models/byte-level-bpe-vocab.ts';

describe('byteToUnicode', () => {
  it('maps the 256 bytes to 256 distinct printable characters, space to Ġ', () => {
    const table = byteToUnicode();
    expect(new Set(table).size).toBe(256);
    expect(table[0x20]).toBe('Ġ');
    expect(table[0x0a]).toBe('Ċ');
    expect(table[0x41]).toBe('A');
  });
});

describe('buildByteLevelBpeVocab', () => {
  it.each([320, 1000, 32_000])('builds exactly %i unique tokens with specials last', (size) => {
    const vocab = buildByteLevelBpeVocab(size);
    expect(vocab.tokens).toHaveLength(size);
    expect(new Set(vocab.tokens).size).toBe(size);
    TINY_SPECIAL_TOKENS.forEach((token, i) => {
      expect(vocab.specials[token]).toBe(size - TINY_SPECIAL_TOKENS.length + i);
    });
  });

  it('only merges tokens that already exist, each merge adding its joined token in order', () => {
    const vocab = buildByteLevelBpeVocab(5_000);
    const known = new Set(vocab.tokens.slice(0, 256));
    vocab.merges.forEach(([a, b], rank) => {
      expect(known.has(a) && known.has(b)).toBe(true);
      expect(vocab.tokens[256 + rank]).toBe(a + b);
      known.add(a + b);
    });
    expect(vocab.merges).toHaveLength(5_000 - 256 - TINY_SPECIAL_TOKENS.length);
  });

  it('rejects a size too small for bytes and specials', () => {
    expect(() => buildByteLevelBpeVocab(200)).toThrow(/vocabSize must be an integer >= 259/);
  });
});
