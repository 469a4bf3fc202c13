import { SignetError, type Store } from '../../src/index.ts';
import { runStream } from '../../src/pipeline/index.ts';
import { ENDED, type RunRecord, type RunStatus } from './run-record.ts';

const RUNS = 'runs';
const KEYS = 'run-keys';
/** Attempts at a compare-and-set before a change is given up (only contended writes retry). */
const MAX_RACES = 50;

/** A run to create; the registry fills in the bookkeeping. */
export type NewRun = Pick<
  RunRecord,
  'id' | 'pipeline' | 'inputs' | 'config' | 'idempotencyKey' | 'principal' | 'steps'
> & { readonly createdAt: number };

/** What `create` did: made the run, or found the one an earlier request with the same key made. */
export interface Created {
  readonly run: RunRecord;
  readonly created: boolean;
}

/** Options of `list`. */
export interface ListRuns {
  readonly status?: RunStatus | undefined;
  /** Only runs of this principal (undefined: everyone's). */
  readonly principal?: string | undefined;
  /** Run id to continue after (the previous page's `next`). */
  readonly after?: string | undefined;
  readonly limit: number;
}

/** Runs as records in the store: every change is a compare-and-set, so concurrent writers never lose one. */
export interface RunRegistry {
  /**
   * Creates a queued run. With an idempotency key, a second request with the same key (and caller)
   * gets the first run back (`created: false`); with the same key but another request body it fails
   * with SIGNET_RUN_CONFLICT.
   */
  create(run: NewRun, requestHash: string): Promise<Created>;
  get(id: string): Promise<RunRecord | undefined>;
  /** The run, or SIGNET_RUN_NOT_FOUND. */
  require(id: string): Promise<RunRecord>;
  /**
   * Applies `change` to the current record and stores the result, retrying when another writer got
   * there first; `change` returns undefined to leave the run as it is. Resolves to what was stored.
   */
  update(id: string, change: (run: RunRecord) => RunRecord | undefined): Promise<RunRecord | undefined>;
  /** Runs in id (creation) order, oldest first, filtered; `next` continues the listing. */
  list(options: ListRuns): Promise<{ runs: RunRecord[]; next: string | undefined }>;
  /** Every run, a page at a time (for start-up recovery, retention and metrics). */
  all(): AsyncIterable<RunRecord>;
  /** Removes an ended run, its records and its idempotency key; false when it changed since it was read. */
  remove(run: RunRecord): Promise<boolean>;
}

const keyOf = (principal: string | undefined, key: string) => `${principal ?? '-'}\u0000${key}`;

/** The run registry on a store (namespaces `runs` and `run-keys`, streams `runs/<id>`). */
export function createRunRegistry(store: Store): RunRegistry {
  const read = async (id: string) => {
    const entry = await store.get(RUNS, id);
    return entry === undefined ? undefined : { raw: entry.value, run: JSON.parse(entry.value) as RunRecord };
  };
  const registry: RunRegistry = {
    async create(fresh, requestHash) {
      const run: RunRecord = {
        ...fresh,
        status: 'queued',
        updatedAt: fresh.createdAt,
        attempts: 0,
        resumes: 0,
      };
      // The run first, then its key: of two requests with one key, the one whose key write wins keeps
      // its run and the other removes its own, so no two runs ever hold the key. A key whose run is
      // gone (a crash between the two writes of a removal) is taken over.
      await store.set(RUNS, run.id, JSON.stringify(run));
      if (fresh.idempotencyKey === undefined) return { run, created: true };
      const key = keyOf(fresh.principal, fresh.idempotencyKey);
      const claim = JSON.stringify({ runId: run.id, requestHash });
      for (let race = 0; ; race++) {
        const held = await store.get(KEYS, key);
        if (held !== undefined) {
          const earlier = JSON.parse(held.value) as { runId: string; requestHash: string };
          const existing = await registry.get(earlier.runId);
          if (existing !== undefined) {
            await store.delete(RUNS, run.id);
            if (earlier.requestHash !== requestHash) {
              throw new SignetError(
                'SIGNET_RUN_CONFLICT',
                `idempotency key "${fresh.idempotencyKey}" was used for run ${earlier.runId} with another request body; use a new key for a new run`,
                { details: { runId: earlier.runId } },
              );
            }
            return { run: existing, created: false };
          }
        }
        if (await store.setIf(KEYS, key, claim, held?.value)) return { run, created: true };
        if (race >= MAX_RACES) throw raced(run.id);
      }
    },
    get: async (id) => (await read(id))?.run,
    async require(id) {
      const run = await registry.get(id);
      if (run !== undefined) return run;
      throw runNotFound(id);
    },
    async update(id, change) {
      for (let race = 0; race < MAX_RACES; race++) {
        const current = await read(id);
        if (current === undefined) return undefined;
        const next = change(current.run);
        if (next === undefined) return undefined;
        if (await store.setIf(RUNS, id, JSON.stringify(next), current.raw)) return next;
      }
      throw raced(id);
    },
    async list({ status, principal, after, limit }) {
      const runs: RunRecord[] = [];
      let cursor = after;
      for (;;) {
        const page = await store.scan(RUNS, { after: cursor, limit: 500 });
        for (const entry of page) {
          const run = JSON.parse(entry.value) as RunRecord;
          if (
            (status === undefined || run.status === status) &&
            (principal === undefined || run.principal === principal)
          ) {
            runs.push(run);
            if (runs.length === limit) return { runs, next: run.id };
          }
        }
        const last = page.at(-1);
        if (last === undefined || page.length < 500) return { runs, next: undefined };
        cursor = last.key;
      }
    },
    async *all() {
      for (let after: string | undefined; ; ) {
        const page = await store.scan(RUNS, { after, limit: 500 });
        for (const entry of page) yield JSON.parse(entry.value) as RunRecord;
        const last = page.at(-1);
        if (last === undefined) return;
        after = last.key;
      }
    },
    async remove(run) {
      if (!ENDED.has(run.status)) {
        throw new SignetError(
          'SIGNET_RUN_ACTIVE',
          `run ${run.id} is ${run.status}; cancel it before removing it`,
        );
      }
      // The record first, and only while it is the one this removal read (a resume changes it): a
      // resumed run keeps its checkpoints.
      const current = await read(run.id);
      if (
        current === undefined ||
        current.run.updatedAt !== run.updatedAt ||
        current.run.status !== run.status
      ) {
        return false;
      }
      await store.delete(RUNS, run.id);
      await store.removeStream(runStream(run.id));
      if (run.idempotencyKey !== undefined)
        await store.delete(KEYS, keyOf(run.principal, run.idempotencyKey));
      return true;
    },
  };
  return registry;
}

/** SIGNET_RUN_NOT_FOUND for a run id. */
export function runNotFound(id: string): SignetError {
  return new SignetError(
    'SIGNET_RUN_NOT_FOUND',
    `no run ${id}: it never existed or was removed after its retention; GET /api/v1/dspy/runs lists the runs kept`,
    { details: { runId: id } },
  );
}

function raced(id: string): SignetError {
  return new SignetError(
    'SIGNET_STORE_UNAVAILABLE',
    `run ${id} changed under ${MAX_RACES} writes in a row; try again`,
  );
}
