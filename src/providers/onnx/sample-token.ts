/**
 * Picks the next token id from one row of logits (`logits[offset .. offset + vocab)`), or -1 when no
 * token can be picked (every logit is `-Infinity` or NaN).
 */
export type TokenSampler = (logits: Float32Array, offset: number, vocab: number) => number;

/** Sampling settings of one batch. */
export interface SamplingOptions {
  /** 0 or less: greedy (argmax, deterministic). Otherwise logits are divided by it before softmax. */
  readonly temperature: number;
  /** Keep only the `topK` most likely tokens; 0 keeps all. */
  readonly topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches `topP`; 1 keeps all. */
  readonly topP: number;
  /** Uniform random numbers in [0, 1). */
  readonly random: () => number;
}

/**
 * The sampler of signet's own decoding loop: greedy argmax (first maximum wins, as in transformers.js),
 * or temperature sampling over the top-k tokens restricted to the top-p nucleus. Tokens whose logit is
 * `-Infinity` (blanked by typed decoding) are never picked.
 */
export function createTokenSampler(options: SamplingOptions): TokenSampler {
  if (options.temperature <= 0) return argmax;
  const { temperature, topK, topP, random } = options;
  return (logits, offset, vocab) => {
    if (topK <= 0 && topP >= 1) return sampleAll(logits, offset, vocab, temperature, random);
    const candidates = topCandidates(logits, offset, vocab, topK > 0 ? Math.min(topK, vocab) : vocab);
    if (candidates.length === 0) return -1;
    const best = logits[offset + (candidates[0] as number)] as number;
    const weights = new Float64Array(candidates.length);
    let total = 0;
    for (let i = 0; i < candidates.length; i++) {
      total += Math.exp(((logits[offset + (candidates[i] as number)] as number) - best) / temperature);
      weights[i] = total;
    }
    // `candidates` is sorted by logit, so the nucleus is a prefix of it.
    let kept = candidates.length;
    if (topP < 1) {
      kept = 1;
      while (kept < candidates.length && (weights[kept - 1] as number) < topP * total) kept++;
    }
    const target = random() * (weights[kept - 1] as number);
    for (let i = 0; i < kept; i++) if (target < (weights[i] as number)) return candidates[i] as number;
    return candidates[kept - 1] as number;
  };
}

function argmax(logits: Float32Array, offset: number, vocab: number): number {
  let best = -1;
  let value = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < vocab; i++) {
    const logit = logits[offset + i] as number;
    if (logit > value) {
      value = logit;
      best = i;
    }
  }
  return best;
}

/** Temperature sampling over the whole vocabulary: no sorting needed without top-k or top-p. */
function sampleAll(
  logits: Float32Array,
  offset: number,
  vocab: number,
  temperature: number,
  random: () => number,
): number {
  const best = argmax(logits, offset, vocab);
  if (best < 0) return -1;
  const top = logits[offset + best] as number;
  const weights = new Float64Array(vocab);
  let total = 0;
  for (let i = 0; i < vocab; i++) {
    const logit = logits[offset + i] as number;
    // exp(-Infinity) is 0 and NaN fails the comparison: neither can be drawn.
    if (logit > Number.NEGATIVE_INFINITY) total += Math.exp((logit - top) / temperature);
    weights[i] = total;
  }
  const target = random() * total;
  for (let i = 0; i < vocab; i++) if (target < (weights[i] as number)) return i;
  return best;
}

/**
 * The `k` token ids with the highest finite logits, highest first. A bounded min-heap keeps this
 * O(vocab log k), which matters for 150k-token vocabularies.
 */
function topCandidates(logits: Float32Array, offset: number, vocab: number, k: number): number[] {
  const heap: number[] = [];
  const less = (a: number, b: number): boolean =>
    (logits[offset + a] as number) < (logits[offset + b] as number);
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && less(heap[left] as number, heap[smallest] as number)) smallest = left;
      if (right < heap.length && less(heap[right] as number, heap[smallest] as number)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as number, heap[i] as number];
      i = smallest;
    }
  };
  for (let id = 0; id < vocab; id++) {
    const logit = logits[offset + id] as number;
    if (logit === Number.NEGATIVE_INFINITY || Number.isNaN(logit)) continue;
    if (heap.length < k) {
      heap.push(id);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i] as number, heap[parent] as number)) break;
        [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
        i = parent;
      }
    } else if (logit > (logits[offset + (heap[0] as number)] as number)) {
      heap[0] = id;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (logits[offset + b] as number) - (logits[offset + a] as number) || a - b);
}
