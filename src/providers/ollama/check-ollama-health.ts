import type { ProviderHealth } from '../shared/signet-provider.ts';
import { createOllamaClient, type OllamaConnectionOptions, resolveOllamaHost } from './ollama-connection.ts';
import { ollamaError } from './ollama-error.ts';
import { withDefaultTag } from './ollama-model-info.ts';
import { openRequestScope } from './request-scope.ts';
import { recordOf, stringField } from './wire-fields.ts';

/** Options of `checkOllamaHealth`. */
export interface OllamaHealthOptions extends OllamaConnectionOptions {
  /** When set, the check also fails if this model is not installed. */
  readonly model?: string | undefined;
  /** Gives up after this many ms (default 2000). */
  readonly timeoutMs?: number | undefined;
  /** Cancels the check (it then reports not ok). */
  readonly signal?: AbortSignal | undefined;
}

const DEFAULT_TIMEOUT_MS = 2000;

/**
 * A cheap check that Ollama answers: `GET /api/tags` with a short timeout, plus whether `model` is
 * installed. Never throws; a failed check says what is wrong and how to fix it.
 */
export async function checkOllamaHealth(options: OllamaHealthOptions = {}): Promise<ProviderHealth> {
  const host = resolveOllamaHost(options);
  const scope = openRequestScope({
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const started = performance.now();
  try {
    const listing: unknown = await (await createOllamaClient(options, scope.signal)).list();
    const latencyMs = performance.now() - started;
    if (options.model === undefined) return { ok: true, latencyMs };
    const wanted = withDefaultTag(options.model);
    const entries = recordOf(listing)?.models;
    const installed = (Array.isArray(entries) ? entries : []).some(
      (entry: unknown) =>
        withDefaultTag(stringField(entry, 'name') ?? stringField(entry, 'model') ?? '') === wanted,
    );
    return installed
      ? { ok: true, latencyMs }
      : {
          ok: false,
          latencyMs,
          message: `model "${options.model}" is not installed in Ollama at ${host}; run \`ollama pull ${options.model}\``,
        };
  } catch (error) {
    return { ok: false, message: ollamaError(error, { host, signal: scope.signal }).message };
  } finally {
    scope.release();
  }
}
