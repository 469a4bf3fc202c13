import type { PromHistogram } from './prometheus-histogram.ts';

/**
 * Estimates the `q`-quantile (0..1) of a histogram the way Prometheus' `histogram_quantile()` does: find
 * the bucket holding the observation of rank `q * count`, then interpolate linearly between that bucket's
 * lower and upper bound (the lowest bucket starts at 0), i.e. assume observations spread evenly inside
 * it. The estimate is only as fine as the buckets. A rank in the `+Inf` bucket returns the highest finite
 * bound (the answer is "at least this"). Throws when the histogram holds no observations.
 */
export function histogramQuantile(histogram: PromHistogram, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  const total = histogram.buckets.at(-1)?.count ?? 0;
  if (!(total > 0)) throw new RangeError('histogram has no observations to estimate a quantile from');
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of histogram.buckets) {
    if (bucket.count >= rank && bucket.count > lowerCount) {
      if (bucket.le === Number.POSITIVE_INFINITY) return lowerBound;
      const inside = (rank - lowerCount) / (bucket.count - lowerCount);
      return lowerBound + (bucket.le - lowerBound) * inside;
    }
    if (bucket.le !== Number.POSITIVE_INFINITY) lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}
