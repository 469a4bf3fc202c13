import type { AxAIService } from '@ax-llm/ax';
import type { ProviderCapabilities } from '../providers/shared/provider-capabilities.ts';
import {
  type DeploymentPolicy,
  type DeploymentPolicyOptions,
  resolveDeploymentPolicy,
} from './deployment-policy.ts';

/** One entry of the router's fallback chain: a named provider + model + resilience policy. */
export interface DeploymentConfig {
  /** Unique name, used in traces, events, health and `router.only(id)` (e.g. `local-onnx`, `ollama`, `cloud`). */
  readonly id: string;
  /** The provider: any Ax service, usually a signet provider. */
  readonly ai: AxAIService;
  /** Model sent to the provider; the caller's model (or the provider default) when absent. */
  readonly model?: string;
  /** Embedding model sent to the provider; the caller's (or the provider default) when absent. */
  readonly embedModel?: string;
  /** Context window in tokens; defaults to the provider's `capabilities.contextWindow` when it declares one. */
  readonly contextWindow?: number;
  /** Whether `embed()` may use this deployment; defaults to `capabilities.embeddings`, else true. */
  readonly embeddings?: boolean;
  /** Resilience settings merged over the defaults (see docs/router.md). */
  readonly policy?: DeploymentPolicyOptions;
}

/** A deployment with its defaults filled in. */
export interface Deployment {
  /** Unique name. */
  readonly id: string;
  /** The provider. */
  readonly ai: AxAIService;
  /** Model override, if any. */
  readonly model: string | undefined;
  /** Embedding model override, if any. */
  readonly embedModel: string | undefined;
  /** Context window in tokens, when known. */
  readonly contextWindow: number | undefined;
  /** Whether `embed()` may use this deployment. */
  readonly embeddings: boolean;
  /** The full policy. */
  readonly policy: DeploymentPolicy;
}

/**
 * Fills in a deployment's defaults from its config and, when the provider is a signet provider, its
 * capabilities (a provider over HTTP gets a gateway-sized bulkhead); `alone` says it has no fallback.
 */
export function resolveDeployment(
  config: DeploymentConfig,
  options: { readonly alone?: boolean } = {},
): Deployment {
  if (config.id.trim() === '') throw new TypeError('router: a deployment needs a non-empty id');
  const capabilities = capabilitiesOf(config.ai);
  return {
    id: config.id,
    ai: config.ai,
    model: config.model,
    embedModel: config.embedModel,
    contextWindow: config.contextWindow ?? capabilities?.contextWindow,
    embeddings: config.embeddings ?? capabilities?.embeddings ?? true,
    policy: resolveDeploymentPolicy(config.policy, {
      maxConcurrency: capabilities?.maxConcurrency,
      overHttp: capabilities?.runtime !== undefined && !IN_PROCESS.has(capabilities.runtime),
      alone: options.alone,
    }),
  };
}

/** Runtimes that run models inside this process (their capacity is the engine's own). */
const IN_PROCESS: ReadonlySet<string> = new Set(['onnx', 'scripted']);

function capabilitiesOf(ai: AxAIService): Partial<ProviderCapabilities> | undefined {
  const value: unknown = (ai as { capabilities?: unknown }).capabilities;
  return typeof value === 'object' && value !== null ? (value as Partial<ProviderCapabilities>) : undefined;
}
