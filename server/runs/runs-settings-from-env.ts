import type { RunsOptions } from './install-runs.ts';

/** The runs settings `npm start` reads from its environment. */
export type RunsSettings = Pick<RunsOptions, 'resumeOnStart' | 'concurrency' | 'retentionMs' | 'leaseMs'>;

/**
 * SIGNET_RUNS_RESUME (on|off: resume interrupted runs at start-up, default on), SIGNET_RUNS_CONCURRENCY
 * (runs at once, default 4), SIGNET_RUNS_RETENTION_MS (how long ended runs are kept, default 7 days),
 * SIGNET_RUNS_LEASE_MS (how long a silent owner keeps a run, default 30000). A bad value stops start-up
 * with the variable's name.
 */
export function runsSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): RunsSettings {
  const resume = env.SIGNET_RUNS_RESUME?.trim().toLowerCase();
  if (resume !== undefined && resume !== '' && resume !== 'on' && resume !== 'off') {
    throw new Error(`SIGNET_RUNS_RESUME must be "on" or "off" (got "${env.SIGNET_RUNS_RESUME}")`);
  }
  return {
    resumeOnStart: resume !== 'off',
    concurrency: whole(env, 'SIGNET_RUNS_CONCURRENCY', 1, 'runs'),
    retentionMs: whole(env, 'SIGNET_RUNS_RETENTION_MS', 1, 'milliseconds'),
    leaseMs: whole(env, 'SIGNET_RUNS_LEASE_MS', 100, 'milliseconds'),
  };
}

function whole(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  min: number,
  unit: string,
): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of ${unit}, at least ${min} (got "${env[name]}")`);
  }
  return value;
}
