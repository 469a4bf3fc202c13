import type { ModelCatalog } from '../../src/models/model-catalog.ts';
import type { ModelInfo } from '../../src/models/model-info.ts';

/** Options of {@link createCatalogSnapshot}. */
export interface CatalogSnapshotOptions {
  /** How often to list the catalog again, in ms (the catalog's TTL: it asks only expired sources). */
  readonly intervalMs: number;
  /** Longest a listing may take before it is given up (the previous models stay). */
  readonly timeoutMs: number;
  /** Told about a source that failed, or a listing that did not finish; the previous models stay. */
  readonly onProblem: (message: string) => void;
}

/**
 * The catalog's models as the server's role resolution sees them: read synchronously per request, and
 * listed again in the background every `intervalMs`, so a model pulled into Ollama or a folder added
 * under `models/` becomes choosable without a restart. A failed listing keeps the previous models.
 */
export interface CatalogSnapshot {
  /** The models of the latest successful listing. */
  models(): readonly ModelInfo[];
  /** Lists now (the first listing, or an explicit refresh); resolves when done, never rejects. */
  refresh(): Promise<void>;
  /** Stops the background listing. */
  close(): void;
}

/** Creates a snapshot; call `refresh()` once before serving, then it keeps itself fresh until `close()`. */
export function createCatalogSnapshot(
  catalog: ModelCatalog,
  options: CatalogSnapshotOptions,
): CatalogSnapshot {
  let models: readonly ModelInfo[] = [];
  let inFlight: Promise<void> | undefined;

  const list = async () => {
    try {
      const listing = await catalog.list({ signal: AbortSignal.timeout(options.timeoutMs) });
      models = listing.models;
      for (const failure of listing.errors) options.onProblem(`${failure.source}: ${failure.message}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.onProblem(`catalog not listed (${message}); role selection keeps the previous models`);
    }
  };
  const refresh = () => {
    inFlight ??= list().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();

  return {
    models: () => models,
    refresh,
    close: () => clearInterval(timer),
  };
}
