import type {
  AxAIService,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxEmbedRequest,
  AxModelUsage,
  AxSpeechRequest,
  AxTranscriptionRequest,
} from '@ax-llm/ax';
import type { SignetCallOptions } from '../providers/shared/typed-decoding-option.ts';
import type { CheckStep, LlmStep, ToolStep, Usage } from './program-types.ts';

type Step = LlmStep | ToolStep | CheckStep;

/**
 * Collects the steps of one run. Model calls are captured by wrapping the provider with `wrap()`.
 * Classes rather than closures: a run creates one recorder and one wrapper, and nothing else per call.
 */
export class TraceRecorder {
  /** Steps recorded so far, in order. */
  readonly steps: Step[] = [];
  /** Text of the most recent model reply (kept out of the trace so prompts and outputs are not logged). */
  lastContent = '';

  /**
   * `typedDecoding` is `free` when this run turned typed decoding off; `outputSchema` is the signature's
   * output JSON Schema. Both reach providers that constrain decoding, with every call.
   */
  constructor(
    readonly typedDecoding: 'constrained' | 'free' = 'constrained',
    readonly outputSchema?: Readonly<Record<string, unknown>>,
  ) {}

  /** The provider, with every chat call recorded. */
  wrap(ai: AxAIService): AxAIService {
    return new RecordingService(ai, this);
  }

  /** Adds a non-model step. */
  add(step: ToolStep | CheckStep): void {
    this.steps.push(step);
  }

  /** Token usage summed over model calls. */
  usage(): Usage {
    let promptTokens = 0;
    let completionTokens = 0;
    for (const step of this.steps) {
      if (step.type !== 'llm') continue;
      promptTokens += step.usage.promptTokens;
      completionTokens += step.usage.completionTokens;
    }
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  }

  /** Records a completed model call. */
  recordResponse(ai: AxAIService, started: number, req: Readonly<AxChatRequest>, res: AxChatResponse): void {
    const tokens = res.modelUsage?.tokens;
    const promptTokens = tokens?.promptTokens ?? 0;
    const completionTokens = tokens?.completionTokens ?? 0;
    this.lastContent = res.results[0]?.content ?? '';
    const route = routeOf(res.providerMetadata);
    this.steps.push({
      type: 'llm',
      provider: res.modelUsage?.ai ?? ai.getName(),
      model: res.modelUsage?.model ?? modelName(req, ai),
      latencyMs: performance.now() - started,
      usage: {
        promptTokens,
        completionTokens,
        totalTokens: tokens?.totalTokens ?? promptTokens + completionTokens,
      },
      ok: true,
      ...(route === undefined ? {} : { route }),
    });
  }

  /** Records a failed model call. */
  recordFailure(ai: AxAIService, started: number, req: Readonly<AxChatRequest>, error: unknown): void {
    this.steps.push({
      type: 'llm',
      provider: ai.getName(),
      model: modelName(req, ai),
      latencyMs: performance.now() - started,
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /** Passes a stream through unchanged and records it as one step when it ends: text joined, last usage kept. */
  recordStream(
    ai: AxAIService,
    started: number,
    req: Readonly<AxChatRequest>,
    stream: ReadableStream<AxChatResponse>,
  ): ReadableStream<AxChatResponse> {
    let content = '';
    let modelUsage: AxModelUsage | undefined;
    let providerMetadata: AxChatResponse['providerMetadata'];
    return stream.pipeThrough(
      new TransformStream<AxChatResponse, AxChatResponse>({
        transform(chunk, controller) {
          content += chunk.results[0]?.content ?? '';
          if (chunk.modelUsage !== undefined) modelUsage = chunk.modelUsage;
          if (chunk.providerMetadata !== undefined)
            providerMetadata = { ...providerMetadata, ...chunk.providerMetadata };
          controller.enqueue(chunk);
        },
        flush: () => {
          this.recordResponse(ai, started, req, {
            results: [{ index: 0, content }],
            ...(modelUsage === undefined ? {} : { modelUsage }),
            ...(providerMetadata === undefined ? {} : { providerMetadata }),
          });
        },
      }),
    );
  }
}

/** Creates a recorder for one run. */
export function createTraceRecorder(
  typedDecoding: 'constrained' | 'free' = 'constrained',
  outputSchema?: Readonly<Record<string, unknown>>,
): TraceRecorder {
  return new TraceRecorder(typedDecoding, outputSchema);
}

/**
 * Delegates every member of Ax's service interface to the wrapped provider and records chat calls.
 * Not a Proxy: Ax reads provider members many times per call, and a trap on each read cost more than
 * all of signet's own per-call work.
 */
class RecordingService implements AxAIService {
  declare readonly validateChatRequest?: NonNullable<AxAIService['validateChatRequest']>;
  declare readonly resolveChatService?: NonNullable<AxAIService['resolveChatService']>;

  constructor(
    private readonly ai: AxAIService,
    private readonly recorder: TraceRecorder,
  ) {
    const { validateChatRequest, resolveChatService } = ai;
    if (validateChatRequest !== undefined) this.validateChatRequest = validateChatRequest.bind(ai);
    if (resolveChatService !== undefined) {
      // A router may pin a deployment for a run; record calls to whichever service it hands out.
      this.resolveChatService = async (req, options) => {
        const resolved = await resolveChatService.call(ai, req, options);
        return { ...resolved, service: recorder.wrap(resolved.service) };
      };
    }
  }

  /** Only providers that constrain output to a schema get the extra call options (no cost for others). */
  get #constrains(): boolean {
    const capabilities = (this.ai as { capabilities?: { structuredOutput?: boolean } }).capabilities;
    return capabilities?.structuredOutput === true;
  }

  #withDecodingOptions(options: Readonly<AxAIServiceOptions> | undefined): SignetCallOptions {
    const { typedDecoding, outputSchema } = this.recorder;
    return {
      ...options,
      ...(typedDecoding === 'free' ? { signetTypedDecoding: 'free' as const } : {}),
      ...(outputSchema === undefined ? {} : { signetOutputSchema: outputSchema }),
    };
  }

  async chat(
    req: Readonly<AxChatRequest>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>> {
    const started = performance.now();
    const callOptions = this.#constrains ? this.#withDecodingOptions(options) : options;
    try {
      const res = await this.ai.chat(req, callOptions);
      if (res instanceof ReadableStream) return this.recorder.recordStream(this.ai, started, req, res);
      this.recorder.recordResponse(this.ai, started, req, res);
      return res;
    } catch (error) {
      this.recorder.recordFailure(this.ai, started, req, error);
      throw error;
    }
  }

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

function modelName(req: Readonly<AxChatRequest>, ai: AxAIService): string {
  if (typeof req.model === 'string') return req.model;
  const last = ai.getLastUsedChatModel();
  return typeof last === 'string' ? last : 'unknown';
}

/** A router (or any wrapper) may describe the route it took as `providerMetadata.<key>.route`. */
function routeOf(metadata: AxChatResponse['providerMetadata']): string | undefined {
  for (const entry of Object.values(metadata ?? {})) {
    if (typeof entry.route === 'string') return entry.route;
  }
  return undefined;
}
