import { describe, expect, it } from 'vitest';
import { GenerationTracker } from '../../../src/providers/onnx/generation-tracker.ts';

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
