import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import {
  dropLeading,
  keepRows,
  padSequence,
  repeatRowColumns,
  stack,
} from '../../../src/providers/onnx/cache-tensors.ts';

/** A [batch, heads, seq, dim] cache whose values encode their own coordinates: b*1000 + h*100 + s*10 + d. */
function coded(batch: number, heads: number, seq: number, dim: number): Tensor {
  const data = new Float32Array(batch * heads * seq * dim);
  let i = 0;
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++)
      for (let s = 0; s < seq; s++) for (let d = 0; d < dim; d++) data[i++] = b * 1000 + h * 100 + s * 10 + d;
  return new Tensor('float32', data, [batch, heads, seq, dim]);
}

const values = (t: Tensor) => Array.from(t.data as Float32Array);

describe('cache tensors', () => {
  it('keeps the chosen rows, in order', () => {
    const kept = keepRows(coded(3, 2, 2, 1), 3, [2, 0]);
    expect(kept.dims).toEqual([2, 2, 2, 1]);
    expect(values(kept)).toEqual([2000, 2010, 2100, 2110, 0, 10, 100, 110]);
  });

  it('keeps rows of a batch x heads layout too', () => {
    const t = coded(3, 2, 1, 1);
    const flat = new Tensor('float32', t.data as Float32Array, [6, 1, 1]);
    expect(values(keepRows(flat, 3, [1]))).toEqual([1000, 1100]);
    expect(keepRows(flat, 3, [1]).dims).toEqual([2, 1, 1]);
  });

  it('left-pads the sequence axis with zeros', () => {
    const padded = padSequence(coded(1, 2, 2, 1), 2, 3);
    expect(padded.dims).toEqual([1, 2, 3, 1]);
    expect(values(padded)).toEqual([0, 0, 10, 0, 100, 110]);
  });

  it('drops leading positions along the sequence axis, the inverse of padding', () => {
    const t = coded(2, 1, 3, 1);
    const trimmed = dropLeading(t, 2, 2);
    expect(trimmed.dims).toEqual([2, 1, 1, 1]);
    expect(values(trimmed)).toEqual([20, 1020]);
    expect(values(dropLeading(padSequence(t, 2, 5), 2, 2))).toEqual(values(t));
  });

  it('stacks two batches', () => {
    const both = stack(coded(1, 1, 2, 1), keepRows(coded(2, 1, 2, 1), 2, [1]));
    expect(both.dims).toEqual([2, 1, 2, 1]);
    expect(values(both)).toEqual([0, 10, 1000, 1010]);
  });

  it('repeats chosen columns of one row for each joiner, keeping 16-bit data 16-bit', () => {
    const repeated = repeatRowColumns(coded(2, 2, 4, 1), 2, 1, 2, [0, 2], 3);
    expect(repeated.dims).toEqual([3, 2, 2, 1]);
    expect(values(repeated)).toEqual([
      1000, 1020, 1100, 1120, 1000, 1020, 1100, 1120, 1000, 1020, 1100, 1120,
    ]);
    const half = new Tensor('float16', new Uint16Array([1, 2, 3, 4]), [2, 1, 2, 1]);
    const out = repeatRowColumns(half, 2, 1, 2, [1], 2);
    expect(out.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(out.data as Uint16Array)).toEqual([4, 4]);
  });
});
