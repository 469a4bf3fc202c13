import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ResponseCache } from '../../src/index.ts';

/** Lookups are microseconds on a hit or miss in SQLite, milliseconds with an embedding. */
const LOOKUP_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25,
];

/**
 * Registers the response cache's metrics on an app's registry and feeds them from the cache's events:
 * `signet_cache_requests_total{kind,result}`, `signet_cache_lookup_duration_seconds{kind}`,
 * `signet_cache_evictions_total`, `signet_cache_errors_total{during}`, and `signet_cache_entries` /
 * `signet_cache_bytes` (read from the store on each scrape). Returns the listener's removal.
 */
export function installCacheMetrics(registry: Registry, cache: ResponseCache): () => void {
  const registers = [registry];
  const requests = new Counter({
    name: 'signet_cache_requests_total',
    help: 'Executions that could use the response cache: kind exact|semantic, result hit|miss|bypass',
    labelNames: ['kind', 'result'],
    registers,
  });
  const lookups = new Histogram({
    name: 'signet_cache_lookup_duration_seconds',
    help: 'Time of one cache lookup (semantic: embedding and index search included)',
    labelNames: ['kind'],
    buckets: LOOKUP_BUCKETS,
    registers,
  });
  const evictions = new Counter({
    name: 'signet_cache_evictions_total',
    help: 'Cached answers removed past the byte budget or their TTL',
    registers,
  });
  const errors = new Counter({
    name: 'signet_cache_errors_total',
    help: 'Cache lookups, writes or embeddings that failed (the execution went on without the cache)',
    labelNames: ['during'],
    registers,
  });
  // One store read serves both gauges of a scrape.
  let size: { at: number; value: Promise<{ entries: number; bytes: number }> } | undefined;
  const sizeNow = () => {
    const now = performance.now();
    if (size === undefined || now - size.at > 500) {
      size = { at: now, value: cache.size().catch(() => ({ entries: Number.NaN, bytes: Number.NaN })) };
    }
    return size.value;
  };
  new Gauge({
    name: 'signet_cache_entries',
    help: 'Answers held by the response cache (expired ones not yet swept included)',
    registers,
    async collect() {
      this.set((await sizeNow()).entries);
    },
  });
  new Gauge({
    name: 'signet_cache_bytes',
    help: 'Bytes of keys and answers held by the response cache',
    registers,
    async collect() {
      this.set((await sizeNow()).bytes);
    },
  });
  return cache.observe((event) => {
    if (event.type === 'lookup') {
      requests.inc({ kind: event.kind, result: event.result });
      if (event.result !== 'bypass') lookups.observe({ kind: event.kind }, event.seconds);
    } else if (event.type === 'evict') evictions.inc(event.count);
    else errors.inc({ during: event.during });
  });
}
