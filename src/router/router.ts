import type { AxAIService } from '@ax-llm/ax';
import type { DeploymentHealth } from './deployment-health.ts';
import type { RouteRecord } from './route-record.ts';
import type { ListenOptions, RouterListener } from './router-events.ts';

/**
 * A fallback chain of deployments behind the Ax service interface, so any program runs on it unchanged.
 * Each call tries the deployments in order; each deployment applies its own timeouts, retries, circuit
 * breaker and bulkhead. The router is the only retry owner: providers are called with Ax retries off.
 *
 * Each answer names the deployment that gave it: `modelUsage.ai` is the deployment id (so a program's
 * trace shows it), and `providerMetadata.signetRouter` carries the route (`{ callId, deployment, route,
 * attempts }`, e.g. route `primary:timeout → backup:ok`). For the full record of every call of a run use
 * `recording()`; for live events use `on()`.
 */
export interface Router extends AxAIService {
  /**
   * What the deployments can do together: `structuredOutput` is true when any of them constrains output
   * to a schema, so callers pass schema hints through the router to whichever deployment answers.
   */
  readonly capabilities: { readonly structuredOutput: boolean };
  /** Deployment ids, in fallback order. */
  readonly deployments: readonly string[];
  /** Subscribes to routing events (attempt, retry, fallback, success, failure, breaker); returns the unsubscribe function. */
  on(listener: RouterListener, options?: ListenOptions): () => void;
  /** Health of every deployment, in fallback order: breaker state, last latency and error, load. */
  health(): DeploymentHealth[];
  /** The same router restricted to one deployment (same breakers and limits, no fallback). */
  only(id: string): Router;
  /** The same router, keeping a route record of every call made through the returned view. */
  recording(): RecordingRouter;
}

/** A router view that records how each of its calls was routed. */
export interface RecordingRouter extends Router {
  /** One record per call, in call order (a record is complete once its call returned). */
  readonly routes: readonly RouteRecord[];
}
