import { describe, expect, it } from 'vitest';
import { createTokenSampler } from '../../../src/providers/onnx/sample-token.ts';
import { createSeededRandom } from '../../../src/testing/tiny-models/index.ts';

const logits = Float32Array.of(1, 3, 3, 0, 2, Number.NEGATIVE_INFINITY);

function counts(sample: () => number, draws: number, size: number): number[] {
  const seen = new Array<number>(size).fill(0);
  for (let i = 0; i < draws; i++) {
    const id = sample();
    seen[id] = (seen[id] ?? 0) + 1;
  }
  return seen;
}

describe('token sampler', () => {
  it('is greedy at temperature 0: the first maximum wins', () => {
    const sample = createTokenSampler({ temperature: 0, topK: 0, topP: 1, random: Math.random });
    expect(sample(logits, 0, logits.length)).toBe(1);
    // Rows are addressed by offset.
    const two = Float32Array.of(0, 1, 5, 2);
    expect(sample(two, 2, 2)).toBe(0);
  });

  it('follows the softmax of logit / temperature', () => {
    const random = createSeededRandom(3);
    const sample = createTokenSampler({ temperature: 2, topK: 0, topP: 1, random: () => random.next() });
    const draws = 40_000;
    const seen = new Array<number>(logits.length).fill(0);
    for (let i = 0; i < draws; i++) {
      const id = sample(logits, 0, logits.length);
      seen[id] = (seen[id] ?? 0) + 1;
    }
    const weights = [...logits].map((l) => Math.exp(l / 2));
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, id) => {
      expect((seen[id] ?? 0) / draws).toBeCloseTo(w / total, 2);
    });
    expect(seen[5]).toBe(0);
  });

  it('keeps only the top k tokens', () => {
    const random = createSeededRandom(4);
    const sample = createTokenSampler({ temperature: 1, topK: 2, topP: 1, random: () => random.next() });
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) seen.add(sample(logits, 0, logits.length));
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it('keeps the smallest nucleus reaching top p', () => {
    // Probabilities at temperature 1: ~[0.053, 0.392, 0.392, 0.020, 0.144, 0]; ids 1 and 2 hold 0.784.
    const random = createSeededRandom(5);
    const sample = createTokenSampler({ temperature: 1, topK: 0, topP: 0.75, random: () => random.next() });
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) seen.add(sample(logits, 0, logits.length));
    expect([...seen].sort()).toEqual([1, 2]);
    const wider = createTokenSampler({ temperature: 1, topK: 0, topP: 0.9, random: () => random.next() });
    const more = new Set<number>();
    for (let i = 0; i < 2_000; i++) more.add(wider(logits, 0, logits.length));
    expect([...more].sort()).toEqual([1, 2, 4]);
  });

  it('picks nothing (-1) when every token is blanked, greedy or sampled', () => {
    const none = Float32Array.of(Number.NEGATIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY);
    for (const options of [
      { temperature: 0, topK: 0, topP: 1 },
      { temperature: 1, topK: 0, topP: 1 },
      { temperature: 1, topK: 2, topP: 0.9 },
    ]) {
      expect(createTokenSampler({ ...options, random: Math.random })(none, 0, 3)).toBe(-1);
    }
  });

  it('never picks a blanked token, even when the draw lands at the very end', () => {
    const sample = createTokenSampler({ temperature: 1, topK: 0, topP: 1, random: () => 0.999999999 });
    const masked = Float32Array.of(Number.NEGATIVE_INFINITY, 0.5, Number.NEGATIVE_INFINITY);
    expect(sample(masked, 0, 3)).toBe(1);
    expect(counts(() => sample(masked, 0, 3), 10, 3)).toEqual([0, 10, 0]);
  });
});
