import type { AxAIService } from '@ax-llm/ax';

/** What a request asks of the provider layer; both fields are optional hints. */
export interface ResolveRequest {
  /** A model id from `list()` (or a provider-specific model name) the caller asked for. */
  readonly model?: string | undefined;
  /** A role such as `fast`, `smart` or `local`, when the caller names a role instead of a model. */
  readonly role?: string | undefined;
}

/** The provider chosen for one request. */
export interface ResolvedProvider {
  /** The Ax service to run on (a single provider, or a router that retries and falls back). */
  readonly ai: AxAIService;
  /** Provider name for responses and metrics (`openai`, `ollama`, `onnx`, `scripted`...). */
  readonly provider: string;
  /** Model name passed to the provider and reported in responses (`auto` when `routed`). */
  readonly model: string;
  /**
   * True when the router picks the deployment (and so the model) per call: no model is sent, and results
   * name the deployment and model that answered.
   */
  readonly routed?: boolean | undefined;
}

/** One model the server can serve, as listed by the model endpoints. */
export interface ModelDescription {
  /** The id clients send back (`config.model`, the OpenAI `model` field); unique across the list. */
  readonly id: string;
  /** Provider name. */
  readonly provider: string;
  /** Model name at that provider. */
  readonly model: string;
  /** What the model is good for, for people reading the list. */
  readonly description?: string | undefined;
  /** Roles this model serves (`fast`, `smart`, `local`...). */
  readonly roles: readonly string[];
  /** True when the model runs on this machine (prompts never leave it). */
  readonly local?: boolean | undefined;
  /** Context window in tokens, when known. */
  readonly contextWindow?: number | undefined;
  /** Whether the provider streams tokens. */
  readonly streaming?: boolean | undefined;
}

/** Which model a role runs on now, and why (`GET /api/v1/models/roles`). */
export interface RoleAssignment {
  /** Role name (`planner`, `critic`, `executor`, `embedder`...). */
  readonly role: string;
  /** What the role's models do: generate text (`chat`) or embed (`embed`). */
  readonly task: 'chat' | 'embed';
  /** The chosen model and the deployment serving it, when one fits. */
  readonly chosen?:
    | {
        /** Catalog model id (`ollama:qwen2.5:7b`). */
        readonly id: string;
        /** Deployment that serves it (`ollama`). */
        readonly deployment: string;
        /** Model name sent to the provider. */
        readonly model: string;
      }
    | undefined;
  /** Why nothing fits, when `chosen` is absent. */
  readonly reason?: string | undefined;
  /** Every servable candidate in preference order, with the registry's reasons. */
  readonly candidates: readonly {
    readonly id: string;
    readonly eligible: boolean;
    readonly reasons: readonly string[];
  }[];
}

/** Circuit-breaker state of a deployment: closed (healthy), half-open (probing) or open (skipped). */
export type BreakerState = 'closed' | 'half-open' | 'open';

/** Health of one deployment (a provider + model pair), as the router sees it. */
export interface DeploymentHealth {
  /** Deployment id (the model id from `list()`). */
  readonly id: string;
  /** Provider name. */
  readonly provider: string;
  /** Model name. */
  readonly model: string;
  /** Whether the deployment can take requests now. */
  readonly ok: boolean;
  /** Breaker state; `closed` when no breaker guards the deployment. */
  readonly breaker: BreakerState;
  /** Latency of the last check or call, in ms. */
  readonly latencyMs?: number | undefined;
  /** Message of the last failure (never prompt text). */
  readonly lastError?: string | undefined;
  /** When the state was last checked, as an ISO timestamp. */
  readonly checkedAt?: string | undefined;
}

/**
 * The server's only view of providers: it picks a provider per request, lists models and reports
 * health. Start-up builds one from detected providers; tests build one around scripted providers.
 * `list()` and `health()` are called by catalog endpoints and on every metrics scrape, so they must be
 * cheap (serve cached state; never call a cloud API per scrape).
 */
export interface ProviderResolver {
  /** The provider for a request, or undefined when none can serve it (the server answers 503 or 404). */
  resolve(request: ResolveRequest): ResolvedProvider | undefined;
  /** Every model that can be served. */
  list(): readonly ModelDescription[];
  /** Per-deployment health (breaker state, latency, last error). */
  health(signal?: AbortSignal): Promise<readonly DeploymentHealth[]>;
  /** False while providers are still being detected; `/ready` answers 503 until it is true. */
  ready?(): boolean;
  /** The model registry's roles and what each runs on now; absent when no registry is configured. */
  roles?(): readonly RoleAssignment[];
}
