import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/index.ts';
import { installRunMetrics } from '../metrics/install-run-metrics.ts';
import type { ServerMetrics } from '../metrics/server-metrics.ts';
import type { ProviderResolver } from '../provider-resolver.ts';
import { runRoutes } from '../routes/run-routes.ts';
import { createPipelineCatalog, type ServedPipeline } from './pipeline-catalog.ts';
import { removeExpiredRuns } from './remove-expired-runs.ts';
import { createRunExecutor, type RunExecutor } from './run-executor.ts';
import { createRunRegistry } from './run-registry.ts';

/** The runs API's settings (`BuildAppOptions.runs`). */
export interface RunsOptions {
  /** Where runs and their checkpoints are kept. */
  readonly store: Store;
  /** Pipelines the API runs (`programs/`'s `builtinPipelines`, or your own). */
  readonly pipelines: readonly ServedPipeline[];
  /** Runs executed at once by this server (default 4). */
  readonly concurrency?: number | undefined;
  /** Resume runs interrupted by a crash or shutdown at start-up (default true). */
  readonly resumeOnStart?: boolean | undefined;
  /** Heartbeat lease of a running run, in ms (default 30 s). */
  readonly leaseMs?: number | undefined;
  /** Deadline of one attempt of a run, in ms (default 30 min). */
  readonly attemptTimeoutMs?: number | undefined;
  /** How long ended runs are kept, in ms (default 7 days). */
  readonly retentionMs?: number | undefined;
  /** How often event followers look for records written by another process, in ms (default 250). */
  readonly pollMs?: number | undefined;
}

const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;
/** Retention sweeps run this often at most (and at least once per retention period). */
const MAX_SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Adds the runs API: routes, the executor (started when the app is ready: it picks up queued runs and
 * resumes interrupted ones), retention sweeps and metrics. Closing the app interrupts runs in flight;
 * they resume at the next start.
 */
export async function installRuns(
  app: FastifyInstance,
  options: RunsOptions,
  context: { readonly providers: ProviderResolver; readonly metrics: ServerMetrics | undefined },
): Promise<RunExecutor> {
  const { store } = options;
  const pipelines = createPipelineCatalog(options.pipelines);
  const registry = createRunRegistry(store);
  const executor = createRunExecutor({
    store,
    registry,
    pipelines,
    providers: context.providers,
    concurrency: options.concurrency,
    resumeOnStart: options.resumeOnStart,
    leaseMs: options.leaseMs,
    attemptTimeoutMs: options.attemptTimeoutMs,
    onProblem: (message, error) => app.log.warn({ err: error }, message),
  });
  const stopMetrics =
    context.metrics === undefined
      ? undefined
      : installRunMetrics(context.metrics.registry, registry, executor);
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = async () => {
    const removed = await removeExpiredRuns(registry, retentionMs, Date.now()).catch((error: unknown) => {
      app.log.warn({ err: error }, 'runs retention sweep failed');
      return 0;
    });
    if (removed > 0) app.log.info({ removed, retentionMs }, `removed ${removed} run(s) past their retention`);
  };

  app.addHook('onReady', async () => {
    const found = await executor.recover();
    if (found.queued + found.resumed + found.interrupted > 0) {
      app.log.info(
        found,
        `runs: ${found.resumed} resumed from their checkpoints, ${found.queued} queued${found.interrupted > 0 ? `, ${found.interrupted} interrupted (start-up resume is off: POST /api/v1/dspy/runs/:id/resume)` : ''}`,
      );
    }
    await sweep();
    sweeper = setInterval(() => void sweep(), Math.min(retentionMs, MAX_SWEEP_INTERVAL_MS));
    sweeper.unref();
  });
  app.addHook('preClose', async () => {
    if (sweeper !== undefined) clearInterval(sweeper);
    await executor.close();
    stopMetrics?.();
  });
  await app.register(runRoutes, { store, registry, executor, pipelines, pollMs: options.pollMs });
  return executor;
}
