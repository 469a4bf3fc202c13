import type { SignetApp } from './app.ts';

/** Options of `installShutdown`. */
export interface ShutdownOptions {
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
  /** How long in-flight requests may take to finish, in ms (default 10000). */
  readonly deadlineMs?: number;
  /** Ends the process (default `process.exit`); tests pass a recorder. */
  readonly exit?: (code: number) => void;
}

/** A graceful shutdown installed on a process. */
export interface ShutdownHandle {
  /** Starts the shutdown as if a signal arrived; resolves with the exit code it used. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * Graceful shutdown: on the first signal, `/ready` starts failing (load balancers drain the instance),
 * the server stops accepting connections, in-flight requests finish, then the process exits 0. If they
 * do not finish within the deadline, remaining connections are cut and the exit code is 1. A second
 * signal exits 1 at once.
 */
export function installShutdown(app: SignetApp, options: ShutdownOptions = {}): ShutdownHandle {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const deadlineMs = options.deadlineMs ?? 10_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    if (running !== undefined) return running;
    app.signet.readiness.markShuttingDown();
    app.log.info({ reason, deadlineMs }, 'shutting down: draining in-flight requests');
    running = new Promise<number>((resolve) => {
      const timer = setTimeout(() => {
        app.log.error(
          { deadlineMs },
          'in-flight requests did not finish before the deadline; closing connections',
        );
        app.server.closeAllConnections();
        resolve(1);
      }, deadlineMs);
      app.close().then(
        () => {
          clearTimeout(timer);
          app.log.info('shutdown complete');
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          app.log.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    }).then((code) => {
      exit(code);
      return code;
    });
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running !== undefined) {
      app.log.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
