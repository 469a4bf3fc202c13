import {
  type AxAIFeatures,
  type AxModelInfo,
  axModelInfoAnthropic,
  axModelInfoGoogleGemini,
  axModelInfoOpenAI,
} from '@ax-llm/ax';
import type { ProviderCapabilities } from '../shared/provider-capabilities.ts';
import { type CloudProviderKind, cloudKindSpecs } from './cloud-kind-specs.ts';

/**
 * Requests a cloud API takes at once, as declared by default (its rate limits apply on top); the same as
 * the router's default bulkhead for deployments over HTTP.
 */
export const DEFAULT_CLOUD_CONCURRENCY = 512;

/** Ax's model tables, for the kinds that have one (the Hugging Face router and custom servers have none). */
const modelTables: Partial<Record<CloudProviderKind, readonly AxModelInfo[]>> = {
  openai: axModelInfoOpenAI,
  anthropic: axModelInfoAnthropic,
  gemini: axModelInfoGoogleGemini,
};

/** What `cloudCapabilities` derives capabilities from. */
export interface CloudCapabilityInput {
  /** The kind of API. */
  readonly kind: CloudProviderKind;
  /** The model. */
  readonly model: string;
  /** Ax's features for the model (`service.getFeatures(model)`). */
  readonly features: AxAIFeatures;
  /** Context window to report instead of the looked-up one. */
  readonly contextWindow?: number | undefined;
  /** Concurrency to report instead of the default. */
  readonly maxConcurrency?: number | undefined;
}

/**
 * Capabilities of a cloud provider. `structuredOutput` is true only where Ax uses the API's native JSON
 * Schema mode for the model (OpenAI, Gemini); Anthropic and generic servers get Ax's function-call
 * fallback. The context window comes from Ax's model table, else the kind's documented default.
 */
export function cloudCapabilities(input: CloudCapabilityInput): ProviderCapabilities {
  const spec = cloudKindSpecs[input.kind];
  const modes = input.features.structuredOutputModes;
  return {
    runtime: input.kind,
    device: 'remote',
    streaming: input.features.streaming,
    structuredOutput:
      modes === undefined ? (input.features.structuredOutputs ?? false) : modes.includes('native'),
    tools: input.features.functions,
    embeddings: spec.embeddings,
    contextWindow:
      input.contextWindow ?? contextWindowOf(input.kind, input.model) ?? spec.defaultContextWindow,
    maxConcurrency: input.maxConcurrency ?? DEFAULT_CLOUD_CONCURRENCY,
    local: false,
  };
}

/** The model's context window from Ax's table, matched by name or alias. */
export function contextWindowOf(kind: CloudProviderKind, model: string): number | undefined {
  const info = modelTables[kind]?.find((m) => m.name === model || (m.aliases ?? []).includes(model));
  return info?.contextWindow;
}
