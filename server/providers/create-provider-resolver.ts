import type { AxAIService } from '@ax-llm/ax';
import type { ProviderHealth } from '../../src/providers/shared/index.ts';
import type {
  DeploymentHealth,
  ModelDescription,
  ProviderResolver,
  ResolvedProvider,
  ResolveRequest,
} from '../provider-resolver.ts';

/** One provider + model the server may send requests to. */
export interface ProviderDeployment {
  /** Id clients use to pick this deployment; defaults to `model`. Must be unique. */
  readonly id?: string;
  /** Provider name (`openai`, `ollama`, `onnx`...). */
  readonly provider: string;
  /** Model name at the provider. */
  readonly model: string;
  /** The service that runs it (a `SignetProvider`'s `health()` is used when present). */
  readonly ai: AxAIService;
  /** Roles it serves (`fast`, `smart`, `local`...). */
  readonly roles?: readonly string[];
  /** Shown in model listings. */
  readonly description?: string;
  /** True when the model runs on this machine. */
  readonly local?: boolean;
  /** Context window in tokens. */
  readonly contextWindow?: number;
}

/** Health checks slower than this count as failed, so a scrape never hangs on one backend. */
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * The provider-resolution seam: a static list of deployments. `resolve` matches `model` against the
 * deployment id, the model name or `provider/model`, then `role`, else takes the first deployment.
 * Start-up fills the list from detected providers (local ONNX, Ollama, cloud keys); a router with
 * breakers and fallbacks can replace this resolver without touching the server.
 */
export function createProviderResolver(deployments: readonly ProviderDeployment[]): ProviderResolver {
  const entries = deployments.map((d) => ({ ...d, id: d.id ?? d.model }));
  const ids = new Set<string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) {
      throw new TypeError(`two deployments share the id "${entry.id}"; give one of them an explicit id`);
    }
    ids.add(entry.id);
  }

  const pick = (entry: (typeof entries)[number]): ResolvedProvider => ({
    ai: entry.ai,
    provider: entry.provider,
    model: entry.model,
  });

  return {
    resolve(request: ResolveRequest) {
      if (request.model !== undefined) {
        const wanted = request.model;
        const match = entries.find(
          (e) => e.id === wanted || e.model === wanted || `${e.provider}/${e.model}` === wanted,
        );
        return match === undefined ? undefined : pick(match);
      }
      if (request.role !== undefined) {
        const role = request.role;
        const match = entries.find((e) => (e.roles ?? []).includes(role));
        return match === undefined ? undefined : pick(match);
      }
      const first = entries[0];
      return first === undefined ? undefined : pick(first);
    },
    list: () =>
      entries.map(
        (e): ModelDescription => ({
          id: e.id,
          provider: e.provider,
          model: e.model,
          description: e.description,
          roles: e.roles ?? [],
          local: e.local,
          contextWindow: e.contextWindow,
          streaming: e.ai.getFeatures().streaming,
        }),
      ),
    health: (signal) =>
      Promise.all(
        entries.map(async (e): Promise<DeploymentHealth> => {
          const base = { id: e.id, provider: e.provider, model: e.model, breaker: 'closed' as const };
          const checked = await checkHealth(e.ai, signal);
          return {
            ...base,
            ok: checked.ok,
            latencyMs: checked.latencyMs,
            lastError: checked.message,
            checkedAt: new Date().toISOString(),
          };
        }),
      ),
    ready: () => true,
  };
}

async function checkHealth(ai: AxAIService, signal: AbortSignal | undefined): Promise<ProviderHealth> {
  const health = (ai as Partial<{ health: (signal?: AbortSignal) => Promise<ProviderHealth> }>).health;
  if (typeof health !== 'function') return { ok: true };
  const timeout = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  try {
    return await Promise.race([
      health.call(ai, combined),
      new Promise<ProviderHealth>((resolve) =>
        combined.addEventListener(
          'abort',
          () => resolve({ ok: false, message: `health check did not answer in ${HEALTH_TIMEOUT_MS} ms` }),
          { once: true },
        ),
      ),
    ]);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
