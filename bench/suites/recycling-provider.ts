import type {
  AxAIService,
  AxAIServiceOptions,
  AxChatRequest,
  AxEmbedRequest,
  AxSpeechRequest,
  AxTranscriptionRequest,
} from '@ax-llm/ax';

/**
 * A provider that hands every call to a fresh instance of another one every `callsPerInstance` chat
 * calls. The scripted provider records each call it gets; a server under load makes hundreds of
 * thousands, and that log would pass for server memory. Recycling it keeps only the last few hundred
 * calls alive, as the core and memory suites do by replacing their provider every batch.
 */
export function createRecyclingProvider(make: () => AxAIService, callsPerInstance: number): AxAIService {
  if (!(callsPerInstance >= 1))
    throw new RangeError(`callsPerInstance must be >= 1, got ${callsPerInstance}`);
  return new RecyclingProvider(make, callsPerInstance);
}

/** Delegates every member of Ax's service interface to the current instance (a class: Ax reads members often). */
class RecyclingProvider implements AxAIService {
  private current: AxAIService;
  private calls = 0;

  constructor(
    private readonly make: () => AxAIService,
    private readonly callsPerInstance: number,
  ) {
    this.current = make();
  }

  chat(req: Readonly<AxChatRequest<unknown>>, options?: Readonly<AxAIServiceOptions>) {
    if (++this.calls % this.callsPerInstance === 0) {
      const next = this.make();
      next.setOptions(this.current.getOptions());
      this.current = next;
    }
    return this.current.chat(req, options);
  }
  getId() {
    return this.current.getId();
  }
  getName() {
    return this.current.getName();
  }
  getFeatures(model?: unknown) {
    return this.current.getFeatures(model);
  }
  getModelList() {
    return this.current.getModelList();
  }
  getMetrics() {
    return this.current.getMetrics();
  }
  getLogger() {
    return this.current.getLogger();
  }
  getLastUsedChatModel() {
    return this.current.getLastUsedChatModel();
  }
  getLastUsedEmbedModel() {
    return this.current.getLastUsedEmbedModel();
  }
  getLastUsedModelConfig() {
    return this.current.getLastUsedModelConfig();
  }
  embed(req: Readonly<AxEmbedRequest>, options?: Readonly<AxAIServiceOptions>) {
    return this.current.embed(req, options);
  }
  transcribe(req: Readonly<AxTranscriptionRequest>, options?: Readonly<AxAIServiceOptions>) {
    return this.current.transcribe(req, options);
  }
  speak(req: Readonly<AxSpeechRequest>, options?: Readonly<AxAIServiceOptions>) {
    return this.current.speak(req, options);
  }
  getEstimatedCost(usage?: Parameters<AxAIService['getEstimatedCost']>[0]) {
    return this.current.getEstimatedCost(usage);
  }
  setOptions(options: Readonly<AxAIServiceOptions>) {
    this.current.setOptions(options);
  }
  getOptions() {
    return this.current.getOptions();
  }
}
