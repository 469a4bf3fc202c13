import { randomBytes } from 'node:crypto';
import {
  type FieldValues,
  type PipelineStepEvent,
  SignetError,
  type Store,
  type Usage,
} from '../../src/index.ts';
import { runStream } from '../../src/pipeline/index.ts';
import { sumUsage } from '../../src/program/sum-usage.ts';
import { resolveProviderOrThrow } from '../execution/resolve-provider.ts';
import type { ProviderResolver } from '../provider-resolver.ts';
import { type PipelineCatalog, pipelineOfRun } from './pipeline-catalog.ts';
import { type OwnerIdentity, ownerIdentity, ownerMayBeAlive } from './run-owner.ts';
import { ENDED, type RunRecord, type RunStatus, type StatusRecord } from './run-record.ts';
import type { Created, NewRun, RunRegistry } from './run-registry.ts';

/** What happens to runs, for metrics and for followers of a run's events. */
export type RunEvent =
  | { readonly type: 'status'; readonly run: RunRecord }
  | { readonly type: 'step'; readonly runId: string; readonly step: PipelineStepEvent }
  | {
      readonly type: 'resumed';
      readonly run: RunRecord;
      /** At start-up, by request, or taken over while serving (its owner died). */
      readonly reason: 'start-up' | 'request' | 'takeover';
    };

/** Options of `createRunExecutor`. */
export interface RunExecutorOptions {
  readonly store: Store;
  readonly registry: RunRegistry;
  readonly pipelines: PipelineCatalog;
  readonly providers: ProviderResolver;
  /** Runs executed at once by this process (default 4). */
  readonly concurrency?: number | undefined;
  /** Resume runs interrupted by a crash or shutdown when the executor starts (default true). */
  readonly resumeOnStart?: boolean | undefined;
  /**
   * How long a running run's owner may go without a heartbeat before another server takes it over
   * (default 30 s). A run whose owner process is gone on this host is taken over at once.
   */
  readonly leaseMs?: number | undefined;
  /** Deadline of one attempt of a run, in ms (default 30 min; `config.timeoutMs` may lower it). */
  readonly attemptTimeoutMs?: number | undefined;
  /** Where problems go that no request is waiting for (a failed heartbeat write). */
  readonly onProblem?: ((message: string, error: unknown) => void) | undefined;
  readonly now?: (() => number) | undefined;
}

/** Runs queued runs on this process, resumes interrupted ones, and carries out cancels. */
export interface RunExecutor {
  /** Creates a queued run (or returns the earlier one for a repeated idempotency key) and queues it. */
  submit(run: NewRun, requestHash: string): Promise<Created>;
  /** Queues a failed, cancelled or interrupted run again; it resumes from its checkpoints. */
  resume(id: string): Promise<RunRecord>;
  /** Cancels a queued or running run (its in-flight step is aborted). */
  cancel(id: string): Promise<RunRecord>;
  /**
   * Looks for runs to pick up: queued ones, and running ones whose owner is gone (resumed, or marked
   * `interrupted` when start-up resume is off). Runs at start and then every lease.
   */
  recover(): Promise<{ readonly queued: number; readonly resumed: number; readonly interrupted: number }>;
  /** Listens to run events; returns the removal. */
  observe(listener: (event: RunEvent) => void): () => void;
  /** Runs this process is executing now, and runs waiting in its queue. */
  load(): { readonly running: number; readonly queued: number };
  /** Stops taking runs; runs in flight are aborted and marked `interrupted` (resumed at next start). */
  close(): Promise<void>;
}

interface Local {
  readonly controller: AbortController;
  /** Why it was aborted: cancelled by a request, taken by another owner, or shutting down. */
  stop?: 'cancel' | 'lost' | 'shutdown';
  readonly done: Promise<void>;
}

const DEFAULTS = { concurrency: 4, leaseMs: 30_000, attemptTimeoutMs: 30 * 60_000 };

/** Creates the executor; `recover()` starts it. */
export function createRunExecutor(options: RunExecutorOptions): RunExecutor {
  const { store, registry, pipelines, providers } = options;
  const now = options.now ?? Date.now;
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const resumeOnStart = options.resumeOnStart ?? true;
  const me: OwnerIdentity = ownerIdentity(`inst_${randomBytes(6).toString('hex')}`);
  const listeners = new Set<(event: RunEvent) => void>();
  const queue: string[] = [];
  const queued = new Set<string>();
  const local = new Map<string, Local>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let starting = 0;

  const emit = (event: RunEvent) => {
    for (const listener of listeners) listener(event);
  };
  const problem = (message: string, error: unknown) => options.onProblem?.(message, error);
  const noteStatus = async (run: RunRecord, extra: Partial<StatusRecord> = {}) => {
    const record: StatusRecord = {
      type: 'status',
      status: run.status,
      attempt: Math.max(run.attempts, 1),
      at: run.updatedAt,
      ...(run.error === undefined ? {} : { error: run.error }),
      ...extra,
    };
    // The run record is the truth; a lost status record only costs followers one event.
    await store.append(runStream(run.id), JSON.stringify(record)).catch((error: unknown) => {
      problem(`run ${run.id}: could not record its status ${run.status}`, error);
    });
    emit({ type: 'status', run });
  };
  /** Runs queued again while their previous attempt was still stopping (a resume right after a cancel). */
  const again = new Set<string>();
  const enqueue = (id: string) => {
    if (closed || queued.has(id)) return;
    if (local.has(id)) {
      again.add(id);
      return;
    }
    queued.add(id);
    queue.push(id);
    pump();
  };
  const pump = () => {
    while (!closed && local.size + starting < concurrency && queue.length > 0) {
      const id = queue.shift() as string;
      queued.delete(id);
      starting++;
      void claim(id)
        .then((run) => {
          starting--;
          if (run === undefined) pump();
          else start(run);
        })
        .catch((error: unknown) => {
          starting--;
          problem(`run ${id}: could not be claimed`, error);
          pump();
        });
    }
  };
  const claim = (id: string) =>
    registry.update(id, (run) => {
      if (run.status !== 'queued') return undefined;
      const at = now();
      return {
        ...run,
        status: 'running',
        attempts: run.attempts + 1,
        startedAt: at,
        updatedAt: at,
        owner: { ...me, heartbeatAt: at },
        error: undefined,
      };
    });
  const start = (run: RunRecord) => {
    if (closed) {
      // Claimed while the server began shutting down: hand it back for the next start.
      void finish(run.id, 'interrupted', {});
      return;
    }
    const controller = new AbortController();
    const entry: { controller: AbortController; stop?: Local['stop']; done?: Promise<void> } = { controller };
    entry.done = execute(run, entry as Local).finally(() => {
      local.delete(run.id);
      if (again.delete(run.id)) enqueue(run.id);
      pump();
    });
    local.set(run.id, entry as Local);
  };
  const ours = (run: RunRecord) => run.status === 'running' && run.owner?.instance === me.instance;

  const execute = async (run: RunRecord, entry: Local): Promise<void> => {
    await noteStatus(run);
    const deadline = Math.min(
      run.config.timeoutMs ?? Number.POSITIVE_INFINITY,
      options.attemptTimeoutMs ?? DEFAULTS.attemptTimeoutMs,
    );
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      entry.controller.abort(new Error('deadline'));
    }, deadline);
    try {
      const pipeline = pipelineOfRun(pipelines, run);
      const provider = resolveProviderOrThrow(providers, { model: run.config.model, role: run.config.role });
      const result = await pipeline.run(run.inputs, {
        ai: provider.ai,
        model: provider.routed === true ? undefined : provider.model,
        temperature: run.config.temperature,
        maxTokens: run.config.maxTokens,
        topP: run.config.topP,
        signal: entry.controller.signal,
        runId: run.id,
        store,
        onStep: (step) => emit({ type: 'step', runId: run.id, step }),
      });
      const usage = sumUsage(result.steps.map((s) => s.usage));
      await finish(run.id, 'succeeded', { outputs: result.outputs, usage });
    } catch (error) {
      if (entry.stop === 'cancel' || entry.stop === 'lost') return;
      if (entry.stop === 'shutdown') {
        await finish(run.id, 'interrupted', {});
        return;
      }
      const failure = timedOut
        ? new SignetError(
            'SIGNET_PROVIDER_TIMEOUT',
            `run ${run.id} did not finish within ${deadline} ms; resume it (its completed steps are kept), or raise config.timeoutMs (up to the server's attempt deadline)`,
            { cause: error },
          )
        : error;
      const code = SignetError.is(failure) ? failure.code : 'SIGNET_INTERNAL';
      const message = failure instanceof Error ? failure.message : String(failure);
      await finish(run.id, 'failed', { error: { code, message } });
    } finally {
      clearTimeout(timeout);
    }
  };
  const finish = async (
    id: string,
    status: RunStatus,
    fields: { outputs?: FieldValues; usage?: Usage; error?: RunRecord['error'] },
  ) => {
    const at = now();
    const done = await registry
      .update(id, (run) =>
        ours(run)
          ? {
              ...run,
              status,
              updatedAt: at,
              ...(ENDED.has(status) ? { finishedAt: at } : {}),
              owner: undefined,
              ...fields,
            }
          : undefined,
      )
      .catch((error: unknown) => {
        // The run stays `running` under this owner; the next start (or another server) resumes it.
        problem(`run ${id}: could not record that it ${status}`, error);
        return undefined;
      });
    if (done !== undefined)
      await noteStatus(done, fields.outputs === undefined ? {} : { outputs: fields.outputs });
  };

  const heartbeat = async () => {
    for (const [id, entry] of local) {
      const at = now();
      try {
        const beat = await registry.update(id, (run) =>
          ours(run) && run.owner !== undefined
            ? { ...run, owner: { ...run.owner, heartbeatAt: at } }
            : undefined,
        );
        if (beat === undefined && entry.stop === undefined) {
          // Cancelled by a request to another server, or taken over: stop working on it.
          entry.stop = 'lost';
          entry.controller.abort(new Error('the run was cancelled or taken over'));
        }
      } catch (error) {
        problem(`run ${id}: heartbeat failed`, error);
      }
    }
  };

  /** Queues what is waiting; takes over runs whose owner died; at start-up, resumes interrupted ones. */
  const sweep = async (startUp: boolean) => {
    const counts = { queued: 0, resumed: 0, interrupted: 0 };
    const at = now();
    for await (const run of registry.all()) {
      if (closed) break;
      if (run.status === 'queued') {
        counts.queued++;
        enqueue(run.id);
        continue;
      }
      const abandoned =
        run.status === 'running' && run.owner !== undefined && !ownerMayBeAlive(run.owner, me, leaseMs, at);
      const waiting = run.status === 'interrupted' && startUp && resumeOnStart;
      if (!abandoned && !waiting) continue;
      const to: RunStatus = resumeOnStart ? 'queued' : 'interrupted';
      const moved = await registry.update(run.id, (current) =>
        current.updatedAt === run.updatedAt &&
        current.status === run.status &&
        // A heartbeat since the scan means the owner is alive after all.
        current.owner?.instance === run.owner?.instance &&
        current.owner?.heartbeatAt === run.owner?.heartbeatAt
          ? {
              ...current,
              status: to,
              updatedAt: at,
              owner: undefined,
              ...(to === 'queued' ? { resumes: current.resumes + 1 } : {}),
            }
          : undefined,
      );
      if (moved === undefined) continue;
      if (to === 'queued') {
        counts.resumed++;
        emit({ type: 'resumed', run: moved, reason: startUp ? 'start-up' : 'takeover' });
        await noteStatus(moved);
        enqueue(run.id);
      } else {
        counts.interrupted++;
        await noteStatus(moved);
      }
    }
    return counts;
  };

  const executor: RunExecutor = {
    async submit(fresh, requestHash) {
      const created = await registry.create(fresh, requestHash);
      if (created.created) await noteStatus(created.run);
      if (created.run.status === 'queued') enqueue(created.run.id);
      return created;
    },
    async resume(id) {
      const current = await registry.require(id);
      if (current.status === 'succeeded') {
        throw new SignetError(
          'SIGNET_RUN_FINISHED',
          `run ${id} already succeeded; read its outputs, or start a new run`,
          {
            details: { runId: id, status: current.status },
          },
        );
      }
      pipelineOfRun(pipelines, current);
      const at = now();
      const resumed = await registry.update(id, (run) =>
        run.status === 'failed' ||
        run.status === 'cancelled' ||
        run.status === 'interrupted' ||
        (run.status === 'running' && run.owner !== undefined && !ownerMayBeAlive(run.owner, me, leaseMs, at))
          ? {
              ...run,
              status: 'queued',
              resumes: run.resumes + 1,
              updatedAt: at,
              owner: undefined,
              finishedAt: undefined,
              error: undefined,
            }
          : undefined,
      );
      if (resumed === undefined) {
        const latest = await registry.require(id);
        throw new SignetError(
          latest.status === 'succeeded' ? 'SIGNET_RUN_FINISHED' : 'SIGNET_RUN_ACTIVE',
          `run ${id} is ${latest.status}; only a failed, cancelled or interrupted run can be resumed`,
          { details: { runId: id, status: latest.status } },
        );
      }
      emit({ type: 'resumed', run: resumed, reason: 'request' });
      await noteStatus(resumed);
      enqueue(id);
      return resumed;
    },
    async cancel(id) {
      const at = now();
      const cancelled = await registry.update(id, (run) =>
        ENDED.has(run.status)
          ? undefined
          : { ...run, status: 'cancelled', updatedAt: at, finishedAt: at, owner: undefined },
      );
      if (cancelled === undefined) {
        const run = await registry.require(id);
        if (run.status === 'cancelled') return run;
        throw new SignetError(
          'SIGNET_RUN_FINISHED',
          `run ${id} already ${run.status}; there is nothing to cancel`,
          {
            details: { runId: id, status: run.status },
          },
        );
      }
      const entry = local.get(id);
      if (entry !== undefined && entry.stop === undefined) {
        entry.stop = 'cancel';
        entry.controller.abort(new SignetError('SIGNET_ABORTED', `run ${id} was cancelled`));
      }
      await noteStatus(cancelled);
      return cancelled;
    },
    async recover() {
      const counts = await sweep(true);
      if (!closed && timer === undefined) {
        let tick = 0;
        timer = setInterval(
          () => {
            void heartbeat();
            // Every lease: runs queued by another server on this store, and runs whose owner died.
            if (++tick % 3 === 0)
              void sweep(false).catch((error: unknown) => problem('runs sweep failed', error));
          },
          Math.max(Math.floor(leaseMs / 3), 10),
        );
        timer.unref();
      }
      return counts;
    },
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load: () => ({ running: local.size, queued: queue.length }),
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      queue.length = 0;
      queued.clear();
      const inFlight = [...local.values()];
      for (const entry of inFlight) {
        if (entry.stop !== undefined) continue;
        entry.stop = 'shutdown';
        entry.controller.abort(new SignetError('SIGNET_ABORTED', 'the server is shutting down'));
      }
      await Promise.allSettled(inFlight.map((entry) => entry.done));
    },
  };
  return executor;
}
