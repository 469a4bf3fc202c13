import {
  AxAIAnthropic,
  type AxAIAnthropicModel,
  AxAIGoogleGemini,
  type AxAIGoogleGeminiModel,
  AxAIOpenAI,
  type AxAIOpenAIModel,
  AxAIOpenAIProfile,
  type AxAIService,
  type AxAIServiceOptions,
} from '@ax-llm/ax';
import type { CloudProviderKind } from './cloud-kind-specs.ts';

/** Retry policy handed to Ax: none. The router is the only retry owner (docs/providers/cloud.md). */
export const NO_RETRIES = { maxRetries: 0 } as const;

/**
 * Options every Ax service of a cloud provider runs with, also forced on each call (a per-call `retry`
 * would otherwise replace the service's): no retries, no request body (the prompt) inside errors.
 */
export function enforcedAxOptions(fetchFn: typeof fetch): AxAIServiceOptions {
  return { retry: NO_RETRIES, includeRequestBodyInErrors: false, fetch: fetchFn };
}

/** What `createAxService` builds a service from. */
export interface AxServiceConfig {
  /** Model name as the API knows it. */
  readonly model: string;
  /** The key; absent only for a keyless OpenAI-compatible server. */
  readonly apiKey: string | undefined;
  /** Base URL the operation paths are appended to. */
  readonly baseUrl: string;
  /** Whether chat streams by default (Ax's own default is true). */
  readonly stream: boolean;
  /** The fetch Ax must use (the capturing one). */
  readonly fetch: typeof fetch;
}

/**
 * Ax's built-in service for a kind. Ax types model names as enums of the models it knows; any name the
 * API accepts works at run time, hence the casts.
 */
export function createAxService(kind: CloudProviderKind, config: AxServiceConfig): AxAIService {
  const options = enforcedAxOptions(config.fetch);
  const apiKey = config.apiKey ?? '';
  switch (kind) {
    case 'openai':
      return new AxAIOpenAI<string>({
        apiKey,
        apiURL: config.baseUrl,
        config: { model: config.model as AxAIOpenAIModel, stream: config.stream },
        options,
      });
    case 'anthropic': {
      const service = new AxAIAnthropic<string>({
        apiKey,
        config: { model: config.model as AxAIAnthropicModel, stream: config.stream },
        options,
      });
      service.setAPIURL(config.baseUrl);
      return service;
    }
    case 'gemini': {
      const service = new AxAIGoogleGemini<string>({
        apiKey,
        config: { model: config.model as AxAIGoogleGeminiModel, stream: config.stream },
        options,
      });
      service.setAPIURL(config.baseUrl);
      return service;
    }
    case 'huggingface':
    case 'openai-compatible':
      return new AxAIOpenAIProfile<string>({
        name: kind === 'huggingface' ? 'huggingface-router' : 'openai-compatible',
        ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
        apiURL: config.baseUrl,
        config: { model: config.model, stream: config.stream },
        options,
      });
  }
}
