import { ENDED } from './run-record.ts';
import type { RunRegistry } from './run-registry.ts';

/** Removes runs that ended more than `retentionMs` ago (record, checkpoints, idempotency key). */
export async function removeExpiredRuns(
  runs: RunRegistry,
  retentionMs: number,
  now: number,
): Promise<number> {
  const expired = [];
  for await (const run of runs.all()) {
    if (ENDED.has(run.status) && (run.finishedAt ?? run.updatedAt) <= now - retentionMs) expired.push(run);
  }
  let removed = 0;
  for (const run of expired) if (await runs.remove(run)) removed++;
  return removed;
}
