/** Counts a deployment's breaker state changes, read from the server's health endpoint. */
export interface BreakerWatch {
  /** Stops polling; the number of state changes seen. */
  stop(): Promise<number>;
}

/** Polls `GET /api/v1/providers/health` every `intervalMs` (default 50). */
export function watchBreaker(origin: string, deployment: string, intervalMs = 50): BreakerWatch {
  let last: string | undefined;
  let changes = 0;
  let running = true;
  const poll = async () => {
    while (running) {
      try {
        const response = await fetch(`${origin}/api/v1/providers/health`);
        const body = (await response.json()) as { deployments?: { id: string; breaker: string }[] };
        const state = body.deployments?.find((d) => d.id === deployment)?.breaker;
        if (state !== undefined && last !== undefined && state !== last) changes++;
        if (state !== undefined) last = state;
      } catch {
        // A poll that fails is a missed sample, not a failure of the run.
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  };
  const polling = poll();
  return {
    stop: async () => {
      running = false;
      await polling;
      return changes;
    },
  };
}
