import type { AxAIServiceOptions } from '@ax-llm/ax';
import { createServiceMetrics } from '../providers/shared/service-metrics.ts';
import { type DeploymentConfig, resolveDeployment } from './deployment.ts';
import { createDeploymentRunner, type DeploymentRunner } from './deployment-runner.ts';
import type { Router } from './router.ts';
import { createRouterEvents } from './router-events.ts';
import { createRouterView, type RouterShared } from './router-view.ts';

/** Options of `createRouter`. */
export interface RouterOptions {
  /** The fallback chain, first choice first (e.g. local ONNX, then Ollama, then a cloud model). */
  readonly deployments: readonly DeploymentConfig[];
  /** Name reported by `getName()`/`getId()` (default `router`). */
  readonly name?: string;
  /**
   * Clock for event timestamps, latencies and health, in ms (default `Date.now`). Breakers and timers run
   * on cockatiel's and Node's clocks, so tests drive everything with fake timers.
   */
  readonly now?: () => number;
}

/**
 * Creates a router: an Ax service that runs each call on the first healthy deployment, with per-deployment
 * timeouts, retries (exponential backoff with jitter, honouring Retry-After), a circuit breaker and a
 * bulkhead. See docs/router.md for the policies, their defaults and the reason codes.
 */
export function createRouter(options: RouterOptions): Router {
  if (options.deployments.length === 0) throw new TypeError('router: give at least one deployment');
  const now = options.now ?? Date.now;
  const events = createRouterEvents();
  const runners = new Map<string, DeploymentRunner>();
  for (const config of options.deployments) {
    if (runners.has(config.id)) throw new TypeError(`router: two deployments are named "${config.id}"`);
    const deployment = resolveDeployment(config, { alone: options.deployments.length === 1 });
    runners.set(config.id, createDeploymentRunner(deployment, events, now));
  }
  let callCount = 0;
  let serviceOptions: Readonly<AxAIServiceOptions> = {};
  const shared: RouterShared = {
    name: options.name ?? 'router',
    runners,
    events,
    metrics: createServiceMetrics(),
    now,
    nextCallId: () => ++callCount,
    getOptions: () => serviceOptions,
    setOptions: (next) => {
      serviceOptions = next;
    },
    lastUsed: { chatModel: undefined, embedModel: undefined, modelConfig: undefined },
  };
  return createRouterView(shared, [...runners.values()], undefined);
}
