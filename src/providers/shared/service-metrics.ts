import type { AxAIServiceMetrics } from '@ax-llm/ax';

/** Latency and error counts of one provider instance, in the shape `AxAIService.getMetrics()` returns. */
export interface ServiceMetrics {
  /** Records one finished operation. */
  record(operation: 'chat' | 'embed', latencyMs: number, ok: boolean): void;
  /** A snapshot. */
  snapshot(): AxAIServiceMetrics;
}

const MAX_SAMPLES = 100;

/** Keeps the last 100 latencies per operation and counts errors, for `getMetrics()` of providers and the router. Per instance: no shared state. */
export function createServiceMetrics(): ServiceMetrics {
  const samples = { chat: [] as number[], embed: [] as number[] };
  const counts = { chat: { calls: 0, errors: 0 }, embed: { calls: 0, errors: 0 } };
  const latency = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
    const mean = sorted.length === 0 ? 0 : sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
    return { mean, p95: at(0.95), p99: at(0.99), samples: [...values] };
  };
  const errors = (c: { calls: number; errors: number }) => ({
    count: c.errors,
    rate: c.calls === 0 ? 0 : c.errors / c.calls,
    total: c.calls,
  });
  return {
    record(operation, latencyMs, ok) {
      const list = samples[operation];
      list.push(latencyMs);
      if (list.length > MAX_SAMPLES) list.shift();
      counts[operation].calls++;
      if (!ok) counts[operation].errors++;
    },
    snapshot: () => ({
      latency: { chat: latency(samples.chat), embed: latency(samples.embed) },
      errors: { chat: errors(counts.chat), embed: errors(counts.embed) },
    }),
  };
}
