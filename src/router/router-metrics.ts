import type { AxAIServiceMetrics } from '@ax-llm/ax';

const WINDOW = 100;

/** Ax-style latency and error statistics of the router's own calls (after routing), for `getMetrics()`. */
export interface RouterMetrics {
  /** Records one finished call. */
  record(kind: 'chat' | 'embed', latencyMs: number, ok: boolean): void;
  /** The statistics in Ax's shape. */
  snapshot(): AxAIServiceMetrics;
}

/** Creates the statistics of one router (last 100 latencies per kind). */
export function createRouterMetrics(): RouterMetrics {
  const samples = { chat: [] as number[], embed: [] as number[] };
  const errors = { chat: { count: 0, total: 0 }, embed: { count: 0, total: 0 } };
  return {
    record(kind, latencyMs, ok) {
      const list = samples[kind];
      list.push(latencyMs);
      if (list.length > WINDOW) list.shift();
      errors[kind].total++;
      if (!ok) errors[kind].count++;
    },
    snapshot: () => ({
      latency: { chat: summarize(samples.chat), embed: summarize(samples.embed) },
      errors: { chat: rate(errors.chat), embed: rate(errors.embed) },
    }),
  };
}

function summarize(list: readonly number[]): { mean: number; p95: number; p99: number; samples: number[] } {
  if (list.length === 0) return { mean: 0, p95: 0, p99: 0, samples: [] };
  const sorted = [...list].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    mean: list.reduce((a, b) => a + b, 0) / list.length,
    p95: at(0.95),
    p99: at(0.99),
    samples: [...list],
  };
}

function rate(counts: { count: number; total: number }): { count: number; rate: number; total: number } {
  return { ...counts, rate: counts.total === 0 ? 0 : counts.count / counts.total };
}
