import { runClosedLoopLoad } from '../lib/closed-loop-load.ts';
import { EXECUTE_BODY, EXECUTE_PATH, LOAD_CONNECTIONS } from './http-workload.ts';
import { type ServerHandle, type ServerMemory, startServerPair } from './server-pair.ts';

/** Readings of one server over a soak. */
export interface ServerSoakResult {
  /** Requests served in each interval. */
  readonly requestsPerInterval: number;
  /** Memory after forced GCs: after the warm-up, then after each interval. */
  readonly checkpoints: readonly ServerMemory[];
}

/** How long to soak. */
export interface ServerSoakOptions {
  readonly requestsPerInterval: number;
  readonly intervals: number;
  /** Requests served before the first reading (JIT, lazily built caches). */
  readonly warmupRequests: number;
  readonly signal: AbortSignal;
  readonly progress: (fraction: number) => void;
}

/**
 * Soaks the signet server child and the bare Fastify child with `POST /api/v1/dspy/execute` (closed loop,
 * 64 connections, a fixed number of requests per interval) and reads each one's memory after two forced
 * full GCs, after the warm-up and after every interval. The two servers alternate interval by interval,
 * so both soak under the same conditions.
 */
export async function soakServers(
  options: ServerSoakOptions,
): Promise<{ readonly signet: ServerSoakResult; readonly bare: ServerSoakResult }> {
  const pair = await startServerPair({ providerDelayMs: 0, signal: options.signal });
  try {
    const serve = (server: ServerHandle, amount: number) =>
      runClosedLoopLoad({
        url: `${server.origin}${EXECUTE_PATH}`,
        body: EXECUTE_BODY,
        connections: LOAD_CONNECTIONS,
        amount,
        signal: options.signal,
      });
    const servers = [pair.signet, pair.bare] as const;
    const checkpoints: ServerMemory[][] = [[], []];
    for (const [index, server] of servers.entries()) {
      await serve(server, options.warmupRequests);
      checkpoints[index]?.push(await server.memory(true));
    }
    for (let interval = 1; interval <= options.intervals; interval++) {
      for (const [index, server] of servers.entries()) {
        await serve(server, options.requestsPerInterval);
        checkpoints[index]?.push(await server.memory(true));
      }
      options.progress(interval / options.intervals);
    }
    const result = (index: number): ServerSoakResult => ({
      requestsPerInterval: options.requestsPerInterval,
      checkpoints: checkpoints[index] ?? [],
    });
    return { signet: result(0), bare: result(1) };
  } finally {
    await pair.stop();
  }
}
