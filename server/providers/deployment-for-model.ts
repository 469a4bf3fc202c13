import type { AxAIService } from '@ax-llm/ax';
import type { ModelInfo } from '../../src/models/model-info.ts';
import type { ProviderCapabilities } from '../../src/providers/shared/provider-capabilities.ts';
import type { DeploymentConfig } from '../../src/router/deployment.ts';

/** A router deployment as the model registry sees it: which engine runs it and which models it can take. */
export interface ServingDeployment {
  /** Deployment id (`local-onnx`, `ollama`, `cloud-openai`...), as `router.only(id)` takes it. */
  readonly id: string;
  /** Provider name (`ai.getName()`), reported in responses. */
  readonly provider: string;
  /** Engine behind it (`capabilities.runtime`: `onnx`, `ollama`, `openai`...); undefined for a plain Ax service. */
  readonly runtime: string | undefined;
  /** Model it runs when the caller names none. */
  readonly model: string;
  /** True when it runs only `model` (an ONNX engine loads one model; a deployment with a fixed `model`). */
  readonly singleModel: boolean;
  /** The provider's capabilities, when it is a signet provider. */
  readonly capabilities: ProviderCapabilities | undefined;
}

/** Engines that serve the one model they loaded; the others (Ollama, cloud APIs) take a model per call. */
const SINGLE_MODEL_RUNTIMES: ReadonlySet<string> = new Set(['onnx']);

function capabilitiesOf(ai: AxAIService): ProviderCapabilities | undefined {
  return (ai as { capabilities?: ProviderCapabilities }).capabilities;
}

/** The default model of a deployment: its own `model`, else the provider's, else the first listed, else its id. */
function defaultModelOf(deployment: DeploymentConfig): string {
  if (deployment.model !== undefined) return deployment.model;
  const own = (deployment.ai as { model?: unknown }).model;
  if (typeof own === 'string' && own !== '') return own;
  const listed = deployment.ai.getModelList()?.[0];
  return listed !== undefined && 'model' in listed ? listed.model : deployment.id;
}

/** Describes a router deployment for {@link deploymentForModel} and the model endpoints. */
export function servingDeployment(deployment: DeploymentConfig): ServingDeployment {
  const capabilities = capabilitiesOf(deployment.ai);
  const runtime = capabilities?.runtime;
  return {
    id: deployment.id,
    provider: deployment.ai.getName(),
    runtime,
    model: defaultModelOf(deployment),
    singleModel:
      deployment.model !== undefined || (runtime !== undefined && SINGLE_MODEL_RUNTIMES.has(runtime)),
    capabilities,
  };
}

/**
 * The first deployment (in fallback order) that can serve a catalog model: its runtime must equal the
 * model's provider (`ollama:qwen3:8b` -> the `ollama` runtime, `openai:gpt-4o` -> `openai`), and a
 * single-model deployment must be running that very model (an ONNX folder's name equals the provider's
 * model label, or ends it: `models/onnx-community/Qwen2.5` matches `onnx-community/Qwen2.5`). The model
 * is then served by passing `model.name` with each call.
 */
export function deploymentForModel(
  model: ModelInfo,
  deployments: readonly ServingDeployment[],
): ServingDeployment | undefined {
  return deployments.find(
    (d) =>
      d.runtime === model.provider &&
      (!d.singleModel || d.model === model.name || d.model.endsWith(`/${model.name}`)),
  );
}
