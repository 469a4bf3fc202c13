import { PreTrainedTokenizer } from '@huggingface/transformers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GenerationTracker } from '../../../src/providers/onnx/generation-tracker.ts';
import {
  generateByteLevelBpeTokenizer,
  generateSentencePieceTokenizer,
} from '../../../src/testing/tokenizers/index.ts';

// One token per character keeps the expectations readable; the engine tests cover a real tokenizer.
const decode = (ids: readonly bigint[]): string => ids.map((id) => String.fromCharCode(Number(id))).join('');
const feed = (tracker: GenerationTracker, text: string): void => {
  tracker.put([[1n, 2n]]); // prompt
  for (const ch of text) {
    if (tracker.stopIndex !== undefined) break;
    tracker.put([[BigInt(ch.charCodeAt(0))]]);
  }
  tracker.end();
};

describe('GenerationTracker', () => {
  it('emits deltas that concatenate to the text, ignoring the prompt', () => {
    const deltas: string[] = [];
    const tracker = new GenerationTracker({ decode, stop: [], onDelta: (d) => deltas.push(d) });
    feed(tracker, 'hello world');
    expect(deltas).toHaveLength(11);
    expect(deltas.join('')).toBe('hello world');
    expect(tracker.text()).toBe('hello world');
    expect(tracker.tokens).toHaveLength(11);
  });

  it('stops at the earliest stop string and never streams part of it', () => {
    const deltas: string[] = [];
    const tracker = new GenerationTracker({ decode, stop: ['END', 'wor'], onDelta: (d) => deltas.push(d) });
    feed(tracker, 'hello world END');
    expect(tracker.stopIndex).toBe(6);
    expect(tracker.text()).toBe('hello ');
    expect(deltas.join('')).toBe('hello ');
    expect(tracker.tokens).toHaveLength(9);
  });

  it('releases held-back text that turned out not to be a stop string', () => {
    const deltas: string[] = [];
    const tracker = new GenerationTracker({ decode, stop: ['###'], onDelta: (d) => deltas.push(d) });
    feed(tracker, 'a##b#');
    expect(tracker.stopIndex).toBeUndefined();
    expect(deltas.join('')).toBe('a##b#');
  });

  it('holds back a trailing replacement character from a split UTF-8 sequence', () => {
    const deltas: string[] = [];
    const bytes = new TextEncoder().encode('né');
    const utf8 = (ids: readonly bigint[]): string => new TextDecoder().decode(Uint8Array.from(ids, Number));
    const tracker = new GenerationTracker({ decode: utf8, stop: [], onDelta: (d) => deltas.push(d) });
    tracker.put([[0n]]);
    for (const b of bytes) tracker.put([[BigInt(b)]]);
    tracker.end();
    expect(deltas).toEqual(['n', 'é']);
  });
});

const families = [
  generateByteLevelBpeTokenizer({ vocabSize: 2000, seed: 5 }),
  generateSentencePieceTokenizer({ vocabSize: 2000, seed: 5 }),
  generateSentencePieceTokenizer({ vocabSize: 2000, seed: 5, model: 'unigram' }),
];

describe.each(families)('GenerationTracker decoding one token at a time ($family)', (files) => {
  const tokenizer = new PreTrainedTokenizer(files.tokenizerJson, files.tokenizerConfig);
  const decodeIds = (ids: readonly bigint[]): string =>
    tokenizer.decode([...ids], { skip_special_tokens: true });
  // Mostly text tokens, with raw bytes (split characters) and special tokens mixed in.
  const tokenIds = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: files.vocabSize - 1 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 258 }) },
      { weight: 1, arbitrary: fc.constant(files.eosTokenId) },
    ),
    { minLength: 1, maxLength: 40 },
  );
  const ofText = (text: string): bigint[] =>
    tokenizer.encode(text, { add_special_tokens: false }).map((id) => BigInt(id));

  it('streams deltas that concatenate to a full decode of the same tokens', () => {
    fc.assert(
      fc.property(tokenIds, (raw) => {
        const ids = raw.map((id) => BigInt(id));
        const deltas: string[] = [];
        const tracker = new GenerationTracker({
          decode: decodeIds,
          stop: [],
          onDelta: (d) => deltas.push(d),
        });
        for (const id of ids) tracker.accept([id]);
        tracker.end();
        expect(tracker.text()).toBe(decodeIds(ids));
        expect(deltas.join('')).toBe(tracker.text());
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('cuts before the first stop string exactly where a full decode has it', () => {
    const text = 'Café ☕ says: {"answer": 42} END and then more text after the end';
    const ids = ofText(text);
    const full = decodeIds(ids);
    for (const stop of ['END', '42}', ' says', 'é']) {
      expect(full).toContain(stop);
      const deltas: string[] = [];
      const tracker = new GenerationTracker({
        decode: decodeIds,
        stop: [stop],
        onDelta: (d) => deltas.push(d),
      });
      for (const id of ids) {
        tracker.accept([id]);
        if (tracker.stopIndex !== undefined) break;
      }
      tracker.end();
      expect(tracker.text(), stop).toBe(full.slice(0, full.indexOf(stop)));
      expect(deltas.join(''), stop).toBe(tracker.text());
      for (const delta of deltas) expect(delta).not.toContain(stop);
    }
  });

  it('decodes a few tokens per step instead of the whole output', () => {
    const ids = ofText('word '.repeat(200));
    let decoded = 0;
    const counting = (window: readonly bigint[]): string => {
      decoded += window.length;
      return decodeIds(window);
    };
    const tracker = new GenerationTracker({ decode: counting, stop: ['never'] });
    for (const id of ids) tracker.accept([id]);
    // A full re-decode per step would touch ids.length^2 / 2 tokens; windows touch a few per step.
    expect(decoded).toBeLessThan(ids.length * 8);
  });
});
