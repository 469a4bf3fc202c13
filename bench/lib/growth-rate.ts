import { percentile } from './stats.ts';

/**
 * Growth per unit of work from readings taken after every `step` units: the median of the growth of
 * each interval, divided by `step`. A leak grows every interval alike, so it shows in full; a one-off
 * jump (a lazily built cache, code compiled late) lands in a single interval and the median ignores it.
 */
export function medianGrowthPerStep(readings: readonly number[], step: number): number {
  if (readings.length < 2) throw new RangeError('growth needs at least two readings');
  if (!(step > 0)) throw new RangeError(`step must be positive, got ${step}`);
  const deltas = readings.slice(1).map((reading, i) => reading - (readings[i] as number));
  return percentile(Float64Array.from(deltas).sort(), 50) / step;
}
