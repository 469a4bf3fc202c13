import { describe, expect, it } from 'vitest';
import {
  type GeneratedTokenizer,
  generateByteLevelBpeTokenizer,
  generateSentencePieceTokenizer,
} from '../../src/testing/tokenizers/index.ts';

interface BpeModel {
  vocab: Record<string, number>;
  merges: [string, string][];
}

const generators: [string, (size: number, seed: number) => GeneratedTokenizer][] = [
  ['byte-level BPE', (vocabSize, seed) => generateByteLevelBpeTokenizer({ vocabSize, seed })],
  ['SentencePiece BPE', (vocabSize, seed) => generateSentencePieceTokenizer({ vocabSize, seed })],
];

describe.each(generators)('%s tokenizer generator', (_name, generate) => {
  it('produces exactly vocabSize distinct ids with merges built from existing tokens', () => {
    const tokenizer = generate(5000, 4);
    const model = tokenizer.tokenizerJson.model as BpeModel;
    const ids = Object.values(model.vocab);
    expect(new Set(ids).size).toBe(5000);
    expect(Math.max(...ids)).toBe(4999);
    for (const [left, right] of model.merges) {
      expect(model.vocab[left], left).toBeDefined();
      expect(model.vocab[right], right).toBeDefined();
      expect(model.vocab[left + right], left + right).toBeDefined();
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(generate(2000, 9)).toEqual(generate(2000, 9));
    expect(generate(2000, 9).tokenizerJson).not.toEqual(generate(2000, 10).tokenizerJson);
  });
});

describe('generated vocabularies', () => {
  it('contain tokens that cross JSON structure, exponents and pieces of characters', () => {
    const vocab = (
      generateByteLevelBpeTokenizer({ vocabSize: 8000, seed: 1 }).tokenizerJson.model as BpeModel
    ).vocab;
    for (const token of ['":"', '"}', '],', '{"', 'e+', '\\u00', 'Ġ"'])
      expect(vocab[token], token).toBeDefined();
    // "Ã" is byte C3: the lead byte of "é" on its own.
    expect(vocab.Ã).toBeDefined();
  });

  it('scale to 150k tokens', () => {
    const tokenizer = generateByteLevelBpeTokenizer({ vocabSize: 150_000, seed: 1 });
    expect(Object.keys((tokenizer.tokenizerJson.model as BpeModel).vocab)).toHaveLength(150_000);
  });
});
