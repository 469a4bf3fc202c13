import { Tensor } from '@huggingface/transformers';

/*
 * Reshaping of key/value cache tensors between decoding steps. Every cache tensor is batch-major: its
 * outermost dimension is the batch (or batch x heads, batch outermost, as some exports lay it out), so
 * each row is one contiguous block; `axis` is the dimension that grows with the sequence. The data is
 * a typed array of numbers (Float32Array, or the 16-bit array transformers.js keeps float16 in).
 */

/**
 * The rows `keep` of a cache tensor whose outermost dimension is the batch (or batch x heads, batch
 * outermost, as some exports lay it out): each batch entry is one contiguous block of the data.
 */
export function keepRows(tensor: Tensor, batch: number, keep: readonly number[]): Tensor {
  // Float32Array, or the 16-bit array transformers.js keeps float16 in; the copy keeps the array type.
  const data = tensor.data as Float32Array;
  const size = data.length / batch;
  const out = new (data.constructor as Float32ArrayConstructor)(keep.length * size);
  keep.forEach((b, i) => {
    out.set(data.subarray(b * size, (b + 1) * size), i * size);
  });
  const [outer = batch, ...rest] = tensor.dims;
  return new Tensor(tensor.type, out, [(outer / batch) * keep.length, ...rest]);
}

/** `tensor` with zeros prepended along `axis` up to `length`. */
export function padSequence(tensor: Tensor, axis: number, length: number): Tensor {
  const dims = tensor.dims;
  const current = dims[axis] ?? length;
  if (current === length) return tensor;
  const outer = dims.slice(0, axis).reduce((x, y) => x * y, 1);
  const inner = dims.slice(axis + 1).reduce((x, y) => x * y, 1);
  const data = tensor.data as Float32Array;
  const out = new (data.constructor as Float32ArrayConstructor)(outer * length * inner);
  for (let o = 0; o < outer; o++) {
    out.set(
      data.subarray(o * current * inner, (o + 1) * current * inner),
      (o * length + (length - current)) * inner,
    );
  }
  return new Tensor(
    tensor.type,
    out,
    dims.map((d, i) => (i === axis ? length : d)),
  );
}

/** Two batch-major tensors of equal trailing shape, stacked along the outermost axis. */
export function stack(a: Tensor, b: Tensor): Tensor {
  const da = a.data as Float32Array;
  const db = b.data as Float32Array;
  const out = new (da.constructor as Float32ArrayConstructor)(da.length + db.length);
  out.set(da, 0);
  out.set(db, da.length);
  const [outerA = 0, ...rest] = a.dims;
  return new Tensor(a.type, out, [outerA + (b.dims[0] ?? 0), ...rest]);
}

/**
 * Columns `columns` (along `axis`) of row `row` of a `batch`-row cache tensor, repeated `times` along
 * the batch: the cached prefix one row donates to rows joining the batch.
 */
export function repeatRowColumns(
  tensor: Tensor,
  batch: number,
  row: number,
  axis: number,
  columns: readonly number[],
  times: number,
): Tensor {
  const dims = tensor.dims;
  const width = dims[axis] ?? 0;
  const perRow = dims.slice(0, axis).reduce((x, y) => x * y, 1) / batch;
  const inner = dims.slice(axis + 1).reduce((x, y) => x * y, 1);
  const data = tensor.data as Float32Array;
  const block = perRow * columns.length * inner;
  const out = new (data.constructor as Float32ArrayConstructor)(block * times);
  for (let o = 0; o < perRow; o++) {
    const source = (row * perRow + o) * width;
    columns.forEach((column, k) => {
      const from = (source + column) * inner;
      out.set(data.subarray(from, from + inner), (o * columns.length + k) * inner);
    });
  }
  for (let t = 1; t < times; t++) out.copyWithin(t * block, 0, block);
  return new Tensor(
    tensor.type,
    out,
    dims.map((d, i) => (i === 0 ? (d / batch) * times : i === axis ? columns.length : d)),
  );
}

/** `tensor` without its first `count` positions along `axis`. */
export function dropLeading(tensor: Tensor, axis: number, count: number): Tensor {
  const dims = tensor.dims;
  const width = dims[axis] ?? 0;
  const outer = dims.slice(0, axis).reduce((x, y) => x * y, 1);
  const inner = dims.slice(axis + 1).reduce((x, y) => x * y, 1);
  const data = tensor.data as Float32Array;
  const kept = width - count;
  const out = new (data.constructor as Float32ArrayConstructor)(outer * kept * inner);
  for (let o = 0; o < outer; o++) {
    out.set(data.subarray((o * width + count) * inner, (o + 1) * width * inner), o * kept * inner);
  }
  return new Tensor(
    tensor.type,
    out,
    dims.map((d, i) => (i === axis ? kept : d)),
  );
}
