import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, DeploymentHealth, ProviderResolver } from '../provider-resolver.ts';

/** Options of `createServerMetrics`. */
export interface ServerMetricsOptions {
  /** Whose deployments the breaker and health gauges report (read on every scrape). */
  readonly providers: ProviderResolver;
  /** Add Node/process metrics (`process_*`, `nodejs_*`); default true. */
  readonly defaultMetrics?: boolean;
  /** Version reported by `signet_build_info`. */
  readonly version?: string;
}

/** Every instrument the server records, on a registry owned by one app instance. */
export interface ServerMetrics {
  /** The app's own registry (never prom-client's global one). */
  readonly registry: Registry;
  /** `signet_http_request_duration_seconds{route,method,status_code}`. */
  readonly httpDuration: Histogram<'route' | 'method' | 'status_code'>;
  /** `signet_program_executions_total{signature,program,outcome}`; outcome is `success` or an error code. */
  readonly executions: Counter<'signature' | 'program' | 'outcome'>;
  /** `signet_provider_request_duration_seconds{provider,model,outcome}` per model call. */
  readonly providerDuration: Histogram<'provider' | 'model' | 'outcome'>;
  /** `signet_provider_time_to_first_token_seconds{provider,model}` for streamed calls. */
  readonly timeToFirstToken: Histogram<'provider' | 'model'>;
  /** `signet_provider_tokens_total{provider,model,type}` with type `input` or `output`. */
  readonly tokens: Counter<'provider' | 'model' | 'type'>;
  /**
   * `signet_provider_retries_total{provider,model,kind}`: `reask` after output failed the signature,
   * `upstream` when a router retried a deployment (both from run traces).
   */
  readonly retries: Counter<'provider' | 'model' | 'kind'>;
  /** `signet_provider_fallbacks_total{from_deployment,to_deployment}`: a router moved to the next deployment. */
  readonly fallbacks: Counter<'from_deployment' | 'to_deployment'>;
  /** `signet_gateway_overhead_seconds{route}`: server time minus time spent waiting for providers. */
  readonly gatewayOverhead: Histogram<'route'>;
}

const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/**
 * Gateway overhead is sub-millisecond when healthy, so the buckets are fine there, with edges at the
 * objectives an operator would alert on (0.5 ms median, 2 ms p99): `le="0.002"` counts requests within it.
 */
const OVERHEAD_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/** Creates the registry and instruments of one app. Building two apps never collides. */
export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // prom-client also exports these sums of the per-type gauges under counter-style `_total` names,
    // which promtool rejects; `sum(nodejs_active_handles)` gives the same number.
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  }

  new Gauge({
    name: 'signet_build_info',
    help: 'Build information; the value is always 1',
    labelNames: ['version'],
    registers,
  }).set({ version: options.version ?? 'unknown' }, 1);

  const sample = createHealthSampler(options.providers);
  new Gauge({
    name: 'signet_deployment_breaker_state',
    help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open',
    labelNames: ['deployment', 'provider', 'model'],
    registers,
    async collect() {
      this.reset();
      for (const d of await sample()) {
        this.set({ deployment: d.id, provider: d.provider, model: d.model }, BREAKER_VALUE[d.breaker]);
      }
    },
  });
  new Gauge({
    name: 'signet_deployment_healthy',
    help: 'Whether a deployment can take requests now (1) or not (0)',
    labelNames: ['deployment', 'provider', 'model'],
    registers,
    async collect() {
      this.reset();
      for (const d of await sample()) {
        this.set({ deployment: d.id, provider: d.provider, model: d.model }, d.ok ? 1 : 0);
      }
    },
  });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'signet_http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code',
      labelNames: ['route', 'method', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    executions: new Counter({
      name: 'signet_program_executions_total',
      help: 'Program executions by signature, program kind and outcome (success or an error code)',
      labelNames: ['signature', 'program', 'outcome'],
      registers,
    }),
    providerDuration: new Histogram({
      name: 'signet_provider_request_duration_seconds',
      help: 'Duration of one model call to a provider, including streaming until the last chunk',
      labelNames: ['provider', 'model', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'signet_provider_time_to_first_token_seconds',
      help: 'Time from sending a streamed model call to its first chunk',
      labelNames: ['provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tokens: new Counter({
      name: 'signet_provider_tokens_total',
      help: 'Tokens reported by providers, by type (input or output)',
      labelNames: ['provider', 'model', 'type'],
      registers,
    }),
    retries: new Counter({
      name: 'signet_provider_retries_total',
      help: 'Repeated model calls: kind=reask after output failed the signature, kind=upstream when a router retried',
      labelNames: ['provider', 'model', 'kind'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'signet_provider_fallbacks_total',
      help: 'Model calls a router moved from one deployment to the next (read from run traces)',
      labelNames: ['from_deployment', 'to_deployment'],
      registers,
    }),
    gatewayOverhead: new Histogram({
      name: 'signet_gateway_overhead_seconds',
      help: 'Server time of a request minus the time spent waiting for providers',
      labelNames: ['route'],
      buckets: OVERHEAD_BUCKETS,
      registers,
    }),
  };
}

/** One health read shared by the gauges of a scrape (reused for 500 ms); a failure reads as no data. */
function createHealthSampler(providers: ProviderResolver): () => Promise<readonly DeploymentHealth[]> {
  let last: { at: number; value: Promise<readonly DeploymentHealth[]> } | undefined;
  return () => {
    const now = performance.now();
    if (last === undefined || now - last.at > 500) {
      last = { at: now, value: providers.health(AbortSignal.timeout(2_000)).catch(() => []) };
    }
    return last.value;
  };
}
