/** Options of {@link createRestartBudget}. */
export interface RestartBudgetOptions {
  /** Restarts allowed within `windowMs`. */
  readonly max: number;
  /** Sliding window in ms. */
  readonly windowMs: number;
  /** Clock in ms (injectable for tests). */
  readonly now?: () => number;
}

/** Decides whether something that keeps dying may be restarted once more. */
export interface RestartBudget {
  /** Records a restart and returns true, or returns false when `max` restarts already fell in the window. */
  take(): boolean;
}

/**
 * A sliding-window restart budget: a worker that crashes now and then is replaced every time, one that
 * crashes on start (a broken model, a missing native library) stops being restarted instead of looping.
 */
export function createRestartBudget(options: RestartBudgetOptions): RestartBudget {
  const now = options.now ?? Date.now;
  const times: number[] = [];
  return {
    take() {
      const at = now();
      while (times.length > 0 && at - (times[0] as number) >= options.windowMs) times.shift();
      if (times.length >= options.max) return false;
      times.push(at);
      return true;
    },
  };
}
