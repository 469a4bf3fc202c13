import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RunExecutor } from '../runs/run-executor.ts';
import { RUN_STATUSES, type RunStatus } from '../runs/run-record.ts';
import type { RunRegistry } from '../runs/run-registry.ts';

/** Checkpoint writes are one SQLite transaction: tens of microseconds, milliseconds under contention. */
const CHECKPOINT_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1];
/** How long the per-status counts (a scan of the run records) are reused between scrapes. */
const COUNTS_TTL_MS = 5_000;

/**
 * Registers the runs' metrics and feeds them from the executor: `signet_runs{status}` (runs kept, by
 * status, counted from the store at most every 5 s), `signet_runs_finished_total{status}`,
 * `signet_run_resumes_total{reason}`, `signet_run_steps_total{result}` (`ran` or `replayed` from a
 * checkpoint) and `signet_run_checkpoint_duration_seconds`. Returns the listener's removal.
 */
export function installRunMetrics(registry: Registry, runs: RunRegistry, executor: RunExecutor): () => void {
  const registers = [registry];
  const finished = new Counter({
    name: 'signet_runs_finished_total',
    help: 'Runs that reached an end status on this server: succeeded, failed or cancelled',
    labelNames: ['status'],
    registers,
  });
  const resumes = new Counter({
    name: 'signet_run_resumes_total',
    help: 'Runs resumed from their checkpoints: reason start-up (after a crash or shutdown), request, or takeover (a peer server died)',
    labelNames: ['reason'],
    registers,
  });
  const steps = new Counter({
    name: 'signet_run_steps_total',
    help: 'Pipeline steps of runs: result ran (a model call) or replayed (read back from a checkpoint)',
    labelNames: ['result'],
    registers,
  });
  const checkpoints = new Histogram({
    name: 'signet_run_checkpoint_duration_seconds',
    help: 'Time to write one step checkpoint to the store',
    buckets: CHECKPOINT_BUCKETS,
    registers,
  });
  let counts: { at: number; value: Promise<Map<RunStatus, number>> } | undefined;
  const countsNow = () => {
    const now = performance.now();
    if (counts === undefined || now - counts.at > COUNTS_TTL_MS) {
      counts = { at: now, value: countByStatus(runs) };
    }
    return counts.value;
  };
  new Gauge({
    name: 'signet_runs',
    help: 'Runs the store keeps, by status (finished ones until their retention ends)',
    labelNames: ['status'],
    registers,
    async collect() {
      const byStatus = await countsNow().catch(() => new Map<RunStatus, number>());
      for (const status of RUN_STATUSES) this.set({ status }, byStatus.get(status) ?? 0);
    },
  });
  for (const status of ['succeeded', 'failed', 'cancelled']) finished.inc({ status }, 0);
  for (const result of ['ran', 'replayed']) steps.inc({ result }, 0);
  for (const reason of ['start-up', 'request', 'takeover']) resumes.inc({ reason }, 0);
  return executor.observe((event) => {
    if (event.type === 'status') {
      const { status } = event.run;
      if (status === 'succeeded' || status === 'failed' || status === 'cancelled') finished.inc({ status });
    } else if (event.type === 'resumed') {
      resumes.inc({ reason: event.reason });
    } else {
      steps.inc({ result: event.step.replayed ? 'replayed' : 'ran' });
      if (event.step.checkpointMs !== undefined) checkpoints.observe(event.step.checkpointMs / 1_000);
    }
  });
}

async function countByStatus(runs: RunRegistry): Promise<Map<RunStatus, number>> {
  const byStatus = new Map<RunStatus, number>();
  for await (const run of runs.all()) byStatus.set(run.status, (byStatus.get(run.status) ?? 0) + 1);
  return byStatus;
}
