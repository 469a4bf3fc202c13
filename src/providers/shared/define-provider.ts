import type {
  AxAIFeatures,
  AxAIModelList,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxEmbedRequest,
  AxEmbedResponse,
  AxLoggerFunction,
  AxModelConfig,
} from '@ax-llm/ax';
import { SignetError } from '../../errors/signet-error.ts';
import type { ProviderCapabilities } from './provider-capabilities.ts';
import { createServiceMetrics } from './service-metrics.ts';
import type { ProviderHealth, SignetProvider } from './signet-provider.ts';

/** What a provider implements; `defineProvider` supplies the rest of Ax's service interface. */
export interface ProviderImplementation {
  /** Provider name shown in traces and metrics (`onnx`, `ollama`...). */
  readonly name: string;
  /** Default chat model. */
  readonly model: string;
  /** Default embedding model, when the provider embeds. */
  readonly embedModel?: string;
  /** Declared capabilities. */
  readonly capabilities: ProviderCapabilities;
  /** Ax feature flags beyond those derived from the capabilities (e.g. structured-output modes). */
  readonly features?: Partial<AxAIFeatures>;
  /** Answers one chat request; returns a stream when `req.modelConfig.stream` is true and streaming is supported. */
  chat(
    req: Readonly<AxChatRequest<unknown>>,
    options: Readonly<AxAIServiceOptions> | undefined,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>>;
  /** Embeds texts. */
  embed?(
    req: Readonly<AxEmbedRequest<unknown>>,
    options: Readonly<AxAIServiceOptions> | undefined,
  ): Promise<AxEmbedResponse>;
  /** Health check; must not throw. */
  health(signal?: AbortSignal): Promise<ProviderHealth>;
  /** Releases resources. */
  close?(): Promise<void>;
}

const NO_LOG: AxLoggerFunction = () => {};

/**
 * Wraps a provider implementation into a full Ax service: identity, features derived from the declared
 * capabilities, last-used model tracking, latency metrics and options. Providers only translate.
 */
export function defineProvider(impl: ProviderImplementation): SignetProvider {
  let options: AxAIServiceOptions = {};
  let lastChatModel: string | undefined;
  let lastEmbedModel: string | undefined;
  let lastModelConfig: AxModelConfig | undefined;
  const metrics = createServiceMetrics();

  const features: AxAIFeatures = {
    functions: impl.capabilities.tools,
    streaming: impl.capabilities.streaming,
    structuredOutputs: impl.capabilities.structuredOutput,
    media: {
      images: { supported: false, formats: [] },
      audio: { supported: false, formats: [] },
      files: { supported: false, formats: [], uploadMethod: 'none' },
      urls: { supported: false, webSearch: false, contextFetching: false },
    },
    caching: { supported: false, types: [] },
    thinking: false,
    multiTurn: true,
    ...impl.features,
  };

  const timed = async <T>(kind: 'chat' | 'embed', run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let ok = false;
    try {
      const result = await run();
      ok = true;
      return result;
    } finally {
      metrics.record(kind, performance.now() - started, ok);
    }
  };

  const modelList: AxAIModelList<string> = [
    { key: impl.model, model: impl.model, description: `${impl.name} default model` },
  ];

  return {
    capabilities: impl.capabilities,
    getId: () => impl.name,
    getName: () => impl.name,
    getFeatures: () => features,
    getModelList: () => modelList,
    getMetrics: () => metrics.snapshot(),
    getLogger: () => options.logger ?? NO_LOG,
    getLastUsedChatModel: () => lastChatModel,
    getLastUsedEmbedModel: () => lastEmbedModel,
    getLastUsedModelConfig: () => lastModelConfig,
    chat: (req, callOptions) => {
      lastChatModel = typeof req.model === 'string' ? req.model : impl.model;
      lastModelConfig = req.modelConfig;
      return timed('chat', () => impl.chat(req, { ...options, ...callOptions }));
    },
    embed: (req, callOptions) => {
      const embed = impl.embed;
      if (embed === undefined) {
        return Promise.reject(
          new SignetError(
            'SIGNET_PROVIDER_REJECTED',
            `${impl.name} does not compute embeddings; use an embedding model`,
          ),
        );
      }
      lastEmbedModel = typeof req.embedModel === 'string' ? req.embedModel : impl.embedModel;
      return timed('embed', () => embed(req, { ...options, ...callOptions }));
    },
    transcribe: () => Promise.reject(unsupported(impl.name, 'transcription')),
    speak: () => Promise.reject(unsupported(impl.name, 'speech')),
    getEstimatedCost: () => 0,
    setOptions: (next) => {
      options = { ...next };
    },
    getOptions: () => options,
    health: (signal) => impl.health(signal),
    ...(impl.close === undefined ? {} : { close: impl.close }),
  };
}

function unsupported(name: string, what: string): SignetError {
  return new SignetError('SIGNET_PROVIDER_REJECTED', `${name} does not support ${what}`);
}
