import { inspect } from 'node:util';
import type {
  AxAIFeatures,
  AxAIModelList,
  AxAIService,
  AxAIServiceMetrics,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxEmbedRequest,
  AxEmbedResponse,
  AxLoggerFunction,
  AxModelConfig,
  AxModelUsage,
  AxSpeechRequest,
  AxSpeechResponse,
  AxTranscriptionRequest,
  AxTranscriptionResponse,
} from '@ax-llm/ax';
import { SignetError } from '../../errors/signet-error.ts';
import type { ProviderCapabilities } from '../shared/provider-capabilities.ts';
import type { ProviderHealth, SignetProvider } from '../shared/signet-provider.ts';
import type { CloudProviderKind } from './cloud-kind-specs.ts';
import { enforcedAxOptions } from './create-ax-service.ts';
import { displayBaseUrl, type FoundKey } from './resolve-cloud-credentials.ts';
import type { CallRecord, ResponseCapture } from './response-capture.ts';
import { type CloudErrorContext, translateCloudError } from './translate-cloud-error.ts';

/** What a cloud provider shows of itself in JSON, logs and `util.inspect`: never the key. */
export interface CloudProviderDescription {
  /** The kind of API. */
  readonly kind: CloudProviderKind;
  /** Default model. */
  readonly model: string;
  /** Base URL without user info or query. */
  readonly baseUrl: string;
  /** Where the key came from (`OPENAI_API_KEY`, `apiKey option`), or `none`. */
  readonly keySource: string;
  /** Declared capabilities. */
  readonly capabilities: ProviderCapabilities;
}

/** The pieces `createCloudProvider` assembles a provider from. */
export interface CloudProviderParts {
  /** The kind of API. */
  readonly kind: CloudProviderKind;
  /** Default model. */
  readonly model: string;
  /** Ax's service for the API, built with retries off and the capturing fetch. */
  readonly service: AxAIService;
  /** The capture whose fetch the service uses. */
  readonly capture: ResponseCapture;
  /** The key, if any. */
  readonly key: FoundKey | undefined;
  /** Base URL of the API. */
  readonly baseUrl: string;
  /** Declared capabilities. */
  readonly capabilities: ProviderCapabilities;
  /** The health check. */
  readonly health: (signal?: AbortSignal) => Promise<ProviderHealth>;
}

/**
 * A signet provider around one of Ax's cloud services. The same wrapper serves every kind: it forces
 * retries off on every call, turns upstream failures (including ones raised mid-stream) into signet
 * errors through `translateCloudError`, and keeps the key out of its own JSON and inspect output.
 */
export class CloudProvider implements SignetProvider {
  /** The kind of API. */
  readonly kind: CloudProviderKind;
  /** Default model. */
  readonly model: string;
  readonly capabilities: ProviderCapabilities;
  readonly #service: AxAIService;
  readonly #capture: ResponseCapture;
  readonly #key: FoundKey | undefined;
  readonly #baseUrl: string;
  readonly #health: (signal?: AbortSignal) => Promise<ProviderHealth>;

  constructor(parts: CloudProviderParts) {
    this.kind = parts.kind;
    this.model = parts.model;
    this.capabilities = parts.capabilities;
    this.#service = parts.service;
    this.#capture = parts.capture;
    this.#key = parts.key;
    this.#baseUrl = parts.baseUrl;
    this.#health = parts.health;
  }

  async chat(
    req: Readonly<AxChatRequest<unknown>>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>> {
    const record: CallRecord = { attempts: 0 };
    const response = await this.#call(record, () => this.#service.chat(req, this.#callOptions(options)));
    if (!(response instanceof ReadableStream)) return response;
    const context = { ...this.#errorContext(record), midStream: true };
    return translateStream(response, (error) => translateCloudError(error, context));
  }

  async embed(
    req: Readonly<AxEmbedRequest<unknown>>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxEmbedResponse> {
    if (!this.capabilities.embeddings) {
      throw new SignetError(
        'SIGNET_PROVIDER_REJECTED',
        `${this.kind}: this API has no embeddings endpoint; embed with openai, gemini, an OpenAI-compatible server or a local model`,
        { details: { provider: this.kind } },
      );
    }
    return this.#call({ attempts: 0 }, () => this.#service.embed(req, this.#callOptions(options)));
  }

  transcribe(
    req: Readonly<AxTranscriptionRequest<unknown>>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxTranscriptionResponse> {
    return this.#call({ attempts: 0 }, () => this.#service.transcribe(req, this.#callOptions(options)));
  }

  speak(
    req: Readonly<AxSpeechRequest<unknown>>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxSpeechResponse> {
    return this.#call({ attempts: 0 }, () => this.#service.speak(req, this.#callOptions(options)));
  }

  health(signal?: AbortSignal): Promise<ProviderHealth> {
    return this.#health(signal);
  }

  validateChatRequest(req: Readonly<AxChatRequest<unknown>>, options?: Readonly<AxAIServiceOptions>): void {
    this.#service.validateChatRequest?.(req, options);
  }

  /** Ax's `setOptions` replaces every option; retries stay off and the capturing fetch stays in place. */
  setOptions(options: Readonly<AxAIServiceOptions>): void {
    this.#service.setOptions({ ...options, ...enforcedAxOptions(this.#capture.fetch) });
  }

  getOptions(): Readonly<AxAIServiceOptions> {
    return this.#service.getOptions();
  }

  getId(): string {
    return this.#service.getId();
  }

  getName(): string {
    return this.#service.getName();
  }

  getFeatures(model?: unknown): AxAIFeatures {
    return this.#service.getFeatures(model);
  }

  getModelList(): AxAIModelList<string> | undefined {
    return this.#service.getModelList();
  }

  getMetrics(): AxAIServiceMetrics {
    return this.#service.getMetrics();
  }

  getLogger(): AxLoggerFunction {
    return this.#service.getLogger();
  }

  getLastUsedChatModel(): unknown {
    return this.#service.getLastUsedChatModel();
  }

  getLastUsedEmbedModel(): unknown {
    return this.#service.getLastUsedEmbedModel();
  }

  getLastUsedModelConfig(): AxModelConfig | undefined {
    return this.#service.getLastUsedModelConfig();
  }

  getEstimatedCost(modelUsage?: AxModelUsage): number {
    return this.#service.getEstimatedCost(modelUsage);
  }

  /** What the provider is, without its key. */
  describe(): CloudProviderDescription {
    return {
      kind: this.kind,
      model: this.model,
      baseUrl: displayBaseUrl(this.#baseUrl),
      keySource: this.#key?.source ?? 'none',
      capabilities: this.capabilities,
    };
  }

  toJSON(): CloudProviderDescription {
    return this.describe();
  }

  [inspect.custom](): string {
    return `CloudProvider ${inspect(this.describe(), { depth: 2, breakLength: 100 })}`;
  }

  async #call<T>(record: CallRecord, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.#capture.track(record, fn);
    } catch (error) {
      throw translateCloudError(error, this.#errorContext(record));
    }
  }

  #callOptions(options: Readonly<AxAIServiceOptions> | undefined): AxAIServiceOptions {
    return { ...options, ...enforcedAxOptions(this.#capture.fetch) };
  }

  #errorContext(record: CallRecord): CloudErrorContext {
    return {
      provider: this.kind,
      record,
      secrets: this.#key === undefined ? [] : [this.#key.value],
      keySource: this.#key?.source,
    };
  }
}

/** A stream that fails with the translated error when the upstream stream fails. */
function translateStream<T>(
  stream: ReadableStream<T>,
  translate: (error: unknown) => unknown,
): ReadableStream<T> {
  const reader = stream.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(translate(error));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
