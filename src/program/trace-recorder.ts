import type {
  AxAIService,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxModelUsage,
} from '@ax-llm/ax';
import { DelegatingService } from '../providers/shared/delegating-service.ts';
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

/** Records every chat call of one run (see DelegatingService for why a class). */
class RecordingService extends DelegatingService {
  constructor(
    ai: AxAIService,
    private readonly recorder: TraceRecorder,
  ) {
    super(ai);
  }

  protected rewrap(service: AxAIService): AxAIService {
    return this.recorder.wrap(service);
  }

  /** Only providers that constrain output to a schema get the extra call options (no cost for others). */
  get #constrains(): boolean {
    return this.capabilities?.structuredOutput === true;
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
