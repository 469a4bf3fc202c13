import type {
  AxAIService,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxEmbedRequest,
  AxSpeechRequest,
  AxTranscriptionRequest,
} from '@ax-llm/ax';
import type { ProviderCapabilities } from './provider-capabilities.ts';

/**
 * An Ax service that forwards everything to another one; subclasses intercept `chat` (to record,
 * time or annotate calls). A class, not a Proxy or a bag of closures: Ax reads provider members many
 * times per call, and wrappers are created per run, so both would cost more than the work they wrap.
 * The wrapped provider's declared capabilities stay visible through the wrapper.
 */
export abstract class DelegatingService implements AxAIService {
  declare readonly validateChatRequest?: NonNullable<AxAIService['validateChatRequest']>;
  declare readonly resolveChatService?: NonNullable<AxAIService['resolveChatService']>;

  constructor(protected readonly ai: AxAIService) {
    const { validateChatRequest, resolveChatService } = ai;
    if (validateChatRequest !== undefined) this.validateChatRequest = validateChatRequest.bind(ai);
    if (resolveChatService !== undefined) {
      // A router may pin a deployment for a run; wrap whichever service it hands out the same way.
      this.resolveChatService = async (req, options) => {
        const resolved = await resolveChatService.call(ai, req, options);
        return { ...resolved, service: this.rewrap(resolved.service) };
      };
    }
  }

  /** The wrapped provider's capabilities, when it declares them. */
  get capabilities(): Partial<ProviderCapabilities> | undefined {
    return (this.ai as { capabilities?: Partial<ProviderCapabilities> }).capabilities;
  }

  /** Wraps a service handed out by `resolveChatService` like this one. */
  protected abstract rewrap(service: AxAIService): AxAIService;

  abstract chat(
    req: Readonly<AxChatRequest>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>>;

  getId() {
    return this.ai.getId();
  }
  getName() {
    return this.ai.getName();
  }
  getFeatures(model?: unknown) {
    return this.ai.getFeatures(model);
  }
  getModelList() {
    return this.ai.getModelList();
  }
  getMetrics() {
    return this.ai.getMetrics();
  }
  getLogger() {
    return this.ai.getLogger();
  }
  getLastUsedChatModel() {
    return this.ai.getLastUsedChatModel();
  }
  getLastUsedEmbedModel() {
    return this.ai.getLastUsedEmbedModel();
  }
  getLastUsedModelConfig() {
    return this.ai.getLastUsedModelConfig();
  }
  embed(req: Readonly<AxEmbedRequest>, options?: Readonly<AxAIServiceOptions>) {
    return this.ai.embed(req, options);
  }
  transcribe(req: Readonly<AxTranscriptionRequest>, options?: Readonly<AxAIServiceOptions>) {
    return this.ai.transcribe(req, options);
  }
  speak(req: Readonly<AxSpeechRequest>, options?: Readonly<AxAIServiceOptions>) {
    return this.ai.speak(req, options);
  }
  getEstimatedCost(usage?: Parameters<AxAIService['getEstimatedCost']>[0]) {
    return this.ai.getEstimatedCost(usage);
  }
  setOptions(options: Readonly<AxAIServiceOptions>) {
    this.ai.setOptions(options);
  }
  getOptions() {
    return this.ai.getOptions();
  }
}
