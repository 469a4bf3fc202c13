import { SignetError } from '../errors/signet-error.ts';
import type { ModelInfo } from './model-info.ts';
import type { ModelSource } from './model-source.ts';
import { type ModelQuery, searchModels } from './search-models.ts';

/** A source whose last discovery failed. */
export interface SourceFailure {
  /** Id of the failing source. */
  readonly source: string;
  /** What went wrong, in words. */
  readonly message: string;
  /** Signet error code when the source raised a SignetError. */
  readonly code: string | undefined;
  /** True when the listing still shows this source's models from an earlier successful discovery. */
  readonly stale: boolean;
}

/** Everything the sources offer: models (sorted by source, then id; first source wins an id) and failures. */
export interface ModelListing {
  /** Discovered models. */
  readonly models: readonly ModelInfo[];
  /** Sources that failed; their absence never fails the listing. */
  readonly errors: readonly SourceFailure[];
}

/** Options of {@link createModelCatalog}. */
export interface ModelCatalogOptions {
  /** Where models come from. */
  readonly sources: readonly ModelSource[];
  /** How long a source's listing is reused, in ms (default 300 000 = 5 minutes). */
  readonly ttlMs?: number;
  /** How long a failure is remembered before the source is asked again, in ms (default min(ttlMs, 30 000)). */
  readonly errorTtlMs?: number;
  /** Clock (default `Date.now`); inject one to test expiry. */
  readonly now?: () => number;
}

/** Per-call options of the catalog. */
export interface CatalogCallOptions {
  /** Stops waiting (SIGNET_ABORTED); a shared discovery is cancelled once no caller waits for it. */
  readonly signal?: AbortSignal | undefined;
}

/** Cached, merged view of several {@link ModelSource}s. */
export interface ModelCatalog {
  /** The listing, asking only sources whose cache expired; concurrent callers share one discovery. */
  list(options?: CatalogCallOptions): Promise<ModelListing>;
  /** Asks every source again, ignoring the cache. */
  refresh(options?: CatalogCallOptions): Promise<ModelListing>;
  /** One model by id, from the (cached) listing. */
  get(id: string, options?: CatalogCallOptions): Promise<ModelInfo | undefined>;
  /** Models matching text and filters, from the (cached) listing. */
  search(query: ModelQuery, options?: CatalogCallOptions): Promise<ModelInfo[]>;
}

interface Flight {
  done: Promise<void>;
  readonly controller: AbortController;
  waiters: number;
}

interface SourceState {
  readonly source: ModelSource;
  models: readonly ModelInfo[] | undefined;
  failure: Omit<SourceFailure, 'stale'> | undefined;
  expiresAt: number;
  flight: Flight | undefined;
}

function abortedError(signal: AbortSignal): SignetError {
  return new SignetError('SIGNET_ABORTED', 'stopped waiting for the model listing', { cause: signal.reason });
}

function checkDuration(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new SignetError(
      'SIGNET_CONFIG_INVALID',
      `${name}: expected a duration in ms >= 0, received ${value}`,
    );
  return value;
}

/** Waits for a shared discovery; when the last caller with a signal gives up, the discovery is aborted. */
function join(flight: Flight, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) {
    flight.waiters += 1;
    return flight.done;
  }
  if (signal.aborted) return Promise.reject(abortedError(signal));
  flight.waiters += 1;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      flight.waiters -= 1;
      if (flight.waiters === 0) flight.controller.abort(signal.reason);
      reject(abortedError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void flight.done.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Creates a catalog over `sources` with per-source TTL caching and failure isolation. */
export function createModelCatalog(options: ModelCatalogOptions): ModelCatalog {
  const ttlMs = checkDuration('ttlMs', options.ttlMs ?? 300_000);
  const errorTtlMs = checkDuration('errorTtlMs', options.errorTtlMs ?? Math.min(ttlMs, 30_000));
  const now = options.now ?? Date.now;
  const states: SourceState[] = options.sources.map((source) => ({
    source,
    models: undefined,
    failure: undefined,
    expiresAt: Number.NEGATIVE_INFINITY,
    flight: undefined,
  }));

  const discover = async (state: SourceState, flight: Flight): Promise<void> => {
    const { signal } = flight.controller;
    try {
      const models = await state.source.list(signal);
      // Abandoned by every caller: record nothing, the next caller starts afresh.
      if (signal.aborted) return;
      state.models = [...models].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      state.failure = undefined;
      state.expiresAt = now() + ttlMs;
    } catch (error) {
      if (signal.aborted) return;
      state.failure = {
        source: state.source.id,
        message: error instanceof Error ? error.message : String(error),
        code: SignetError.is(error) ? error.code : undefined,
      };
      state.expiresAt = now() + errorTtlMs;
    } finally {
      if (state.flight === flight) state.flight = undefined;
    }
  };

  const start = (state: SourceState): Flight => {
    const controller = new AbortController();
    const flight: Flight = { done: Promise.resolve(), controller, waiters: 0 };
    state.flight = flight;
    controller.signal.addEventListener('abort', () => {
      if (state.flight === flight) state.flight = undefined;
    });
    flight.done = discover(state, flight);
    return flight;
  };

  const assemble = (): ModelListing => {
    const seen = new Set<string>();
    const models: ModelInfo[] = [];
    const errors: SourceFailure[] = [];
    for (const state of states) {
      for (const model of state.models ?? []) {
        if (seen.has(model.id)) continue;
        seen.add(model.id);
        models.push(model);
      }
      if (state.failure !== undefined) errors.push({ ...state.failure, stale: state.models !== undefined });
    }
    return { models, errors };
  };

  const load = async (force: boolean, signal: AbortSignal | undefined): Promise<ModelListing> => {
    if (signal?.aborted === true) throw abortedError(signal);
    const at = now();
    const waits = states
      .filter((state) => force || state.flight !== undefined || state.expiresAt <= at)
      .map((state) => join(state.flight ?? start(state), signal));
    await Promise.all(waits);
    return assemble();
  };

  return {
    list: (callOptions = {}) => load(false, callOptions.signal),
    refresh: (callOptions = {}) => load(true, callOptions.signal),
    async get(id, callOptions = {}) {
      return (await load(false, callOptions.signal)).models.find((model) => model.id === id);
    },
    async search(query, callOptions = {}) {
      return searchModels((await load(false, callOptions.signal)).models, query);
    },
  };
}
