import type { ProviderResolver } from './provider-resolver.ts';

/** Whether the server should receive traffic. */
export interface Readiness {
  /** Undefined when ready; otherwise why not (for the `/ready` body and logs). */
  notReadyReason(): string | undefined;
  /** Marks the server as shutting down: `/ready` fails from now on so load balancers drain it. */
  markShuttingDown(): void;
  /** True once shutdown has begun. */
  readonly shuttingDown: boolean;
}

/** Readiness of one app: not ready while the resolver is still starting or once shutdown begins. */
export function createReadiness(providers: ProviderResolver): Readiness {
  let shuttingDown = false;
  return {
    notReadyReason() {
      if (shuttingDown) return 'the server is shutting down';
      if (providers.ready !== undefined && !providers.ready()) return 'providers are still being detected';
      return undefined;
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
  };
}
