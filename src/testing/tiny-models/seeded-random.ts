/** A deterministic pseudo-random source, so the same seed always writes the same model weights. */
export interface SeededRandom {
  /** Next float uniformly drawn from [0, 1). */
  next(): number;
  /** Next float from a normal distribution with mean 0 and the given standard deviation. */
  normal(std: number): number;
  /** A fresh Float32Array of `length` normal draws with the given standard deviation. */
  normalArray(length: number, std: number): Float32Array;
}

/** Creates a mulberry32 generator seeded with a 32-bit integer; normals use the Box-Muller transform. */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (std: number): number => {
    const u = 1 - next();
    const v = next();
    return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    normal,
    normalArray(length, std) {
      // Box-Muller yields two independent normals per pair of uniforms; use both.
      const out = new Float32Array(length);
      for (let i = 0; i < length; i += 2) {
        const radius = std * Math.sqrt(-2 * Math.log(1 - next()));
        const angle = 2 * Math.PI * next();
        out[i] = radius * Math.cos(angle);
        if (i + 1 < length) out[i + 1] = radius * Math.sin(angle);
      }
      return out;
    },
  };
}
