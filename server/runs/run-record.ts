import { randomBytes } from 'node:crypto';
import type { FieldValues, Usage } from '../../src/index.ts';

/**
 * Where a run is: waiting for a worker, running, one of the ends, or `interrupted`: its server stopped
 * mid-run and start-up resume is off (or it was shut down), so it waits for `POST .../resume`.
 */
export type RunStatus = 'queued' | 'running' | 'interrupted' | 'succeeded' | 'failed' | 'cancelled';

/** Every status. */
export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'interrupted',
  'succeeded',
  'failed',
  'cancelled',
];

/** Statuses a run stays in for good (failed and cancelled ones may still be resumed). */
export const ENDED: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/** A status change, as it is appended to the run's stream (`runs/<id>`) beside its checkpoints. */
export interface StatusRecord {
  readonly type: 'status';
  readonly status: RunStatus;
  /** The attempt it belongs to (1 for the first). */
  readonly attempt: number;
  readonly at: number;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  readonly outputs?: FieldValues | undefined;
}

/** Settings of a run's model calls (the execute endpoint's `config`, without cache switches). */
export interface RunConfig {
  readonly model?: string | undefined;
  readonly role?: string | undefined;
  readonly temperature?: number | undefined;
  readonly maxTokens?: number | undefined;
  readonly topP?: number | undefined;
  /** Deadline of one attempt in ms (a resumed attempt gets a new one). */
  readonly timeoutMs?: number | undefined;
}

/** The process that holds a running run, and when it last said it still does. */
export interface RunOwner {
  /** Random id of the server instance (a restarted server is a new instance). */
  readonly instance: string;
  readonly pid: number;
  readonly host: string;
  /** Last heartbeat, ms since the epoch. */
  readonly heartbeatAt: number;
}

/** A run as the store keeps it (namespace `runs`, key = id), one JSON value rewritten on each change. */
export interface RunRecord {
  readonly id: string;
  readonly status: RunStatus;
  /** The pipeline it runs: name and exact version. */
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly inputs: FieldValues;
  readonly config: RunConfig;
  /** The caller's idempotency key, when one was given (scoped to the caller). */
  readonly idempotencyKey?: string | undefined;
  /** Who started it: an API key id, or undefined when auth is off. */
  readonly principal?: string | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the latest attempt started. */
  readonly startedAt?: number | undefined;
  /** When it reached its current end status. */
  readonly finishedAt?: number | undefined;
  /** Attempts started (1 for a run that was never interrupted). */
  readonly attempts: number;
  /** Times it was resumed: after a crash at start-up, or by `POST .../resume`. */
  readonly resumes: number;
  readonly owner?: RunOwner | undefined;
  readonly outputs?: FieldValues | undefined;
  /** Tokens of every step, over all attempts (each step counted once), once it succeeded. */
  readonly usage?: Usage | undefined;
  /** Steps of its pipeline. */
  readonly steps: number;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
}

/**
 * A new run id: `run_` + the creation time in base 36 (so store order is creation order) + 64 random
 * bits. Unguessable enough that ids can be shared without leaking other runs.
 */
export function newRunId(now: number): string {
  return `run_${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}
