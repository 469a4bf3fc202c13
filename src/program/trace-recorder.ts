import type { AxAIService, AxAIServiceOptions, AxChatRequest, AxChatResponse } from '@ax-llm/ax';
import type { CheckStep, LlmStep, ToolStep, Usage } from './program-types.ts';

/** Collects the steps of one run. Model calls are captured by wrapping the provider with `wrap()`. */
export interface TraceRecorder {
  /** Steps recorded so far, in order. */
  readonly steps: (LlmStep | ToolStep | CheckStep)[];
  /** Text of the most recent model reply (kept out of the trace so prompts and outputs are not logged). */
  readonly lastContent: string;
  /** The provider, with every chat call recorded. */
  wrap(ai: AxAIService): AxAIService;
  /** Adds a non-model step. */
  add(step: ToolStep | CheckStep): void;
  /** Token usage summed over model calls. */
  usage(): Usage;
}

/** Creates a recorder for one run. */
export function createTraceRecorder(): TraceRecorder {
  const steps: (LlmStep | ToolStep | CheckStep)[] = [];
  let lastContent = '';

  const recordResponse = (
    ai: AxAIService,
    started: number,
    req: Readonly<AxChatRequest>,
    res: AxChatResponse,
  ) => {
    const tokens = res.modelUsage?.tokens;
    const promptTokens = tokens?.promptTokens ?? 0;
    const completionTokens = tokens?.completionTokens ?? 0;
    lastContent = res.results[0]?.content ?? '';
    const route = routeOf(res.providerMetadata);
    steps.push({
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
  };

  /** Passes a stream through unchanged and records it as one step when it ends: text joined, last usage kept. */
  const recordStream = (
    ai: AxAIService,
    started: number,
    req: Readonly<AxChatRequest>,
    stream: ReadableStream<AxChatResponse>,
  ): ReadableStream<AxChatResponse> => {
    let content = '';
    let modelUsage: AxChatResponse['modelUsage'];
    let providerMetadata: AxChatResponse['providerMetadata'];
    return stream.pipeThrough(
      new TransformStream<AxChatResponse, AxChatResponse>({
        transform(chunk, controller) {
          content += chunk.results[0]?.content ?? '';
          if (chunk.providerMetadata !== undefined)
            providerMetadata = { ...providerMetadata, ...chunk.providerMetadata };
          if (chunk.modelUsage !== undefined) modelUsage = chunk.modelUsage;
          controller.enqueue(chunk);
        },
        flush() {
          recordResponse(ai, started, req, {
            results: [{ index: 0, content }],
            ...(modelUsage === undefined ? {} : { modelUsage }),
            ...(providerMetadata === undefined ? {} : { providerMetadata }),
          });
        },
      }),
    );
  };

  const wrap = (ai: AxAIService): AxAIService => {
    const chat = async (req: Readonly<AxChatRequest>, options?: Readonly<AxAIServiceOptions>) => {
      const started = performance.now();
      try {
        const res = await ai.chat(req, options);
        if (res instanceof ReadableStream) return recordStream(ai, started, req, res);
        recordResponse(ai, started, req, res);
        return res;
      } catch (error) {
        steps.push({
          type: 'llm',
          provider: ai.getName(),
          model: modelName(req, ai),
          latencyMs: performance.now() - started,
          usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    };
    // A plain delegate, not a Proxy: Ax reads provider members many times per call, and a Proxy trap on
    // each read cost more than all of signet's own per-call work (see bench core suite).
    const delegate: AxAIService = {
      getId: () => ai.getId(),
      getName: () => ai.getName(),
      getFeatures: (model) => ai.getFeatures(model),
      getModelList: () => ai.getModelList(),
      getMetrics: () => ai.getMetrics(),
      getLogger: () => ai.getLogger(),
      getLastUsedChatModel: () => ai.getLastUsedChatModel(),
      getLastUsedEmbedModel: () => ai.getLastUsedEmbedModel(),
      getLastUsedModelConfig: () => ai.getLastUsedModelConfig(),
      chat,
      embed: (req, options) => ai.embed(req, options),
      transcribe: (req, options) => ai.transcribe(req, options),
      speak: (req, options) => ai.speak(req, options),
      getEstimatedCost: (usage) => ai.getEstimatedCost(usage),
      setOptions: (options) => ai.setOptions(options),
      getOptions: () => ai.getOptions(),
    };
    const { validateChatRequest, resolveChatService } = ai;
    if (validateChatRequest !== undefined) delegate.validateChatRequest = validateChatRequest.bind(ai);
    if (resolveChatService !== undefined) {
      // A router may pin a deployment for a run; record calls to whichever service it hands out.
      delegate.resolveChatService = async (req, options) => {
        const resolved = await resolveChatService.call(ai, req, options);
        return { ...resolved, service: wrap(resolved.service) };
      };
    }
    return delegate;
  };

  return {
    steps,
    get lastContent() {
      return lastContent;
    },
    wrap,
    add: (step) => steps.push(step),
    usage: () => {
      let promptTokens = 0;
      let completionTokens = 0;
      for (const step of steps) {
        if (step.type !== 'llm') continue;
        promptTokens += step.usage.promptTokens;
        completionTokens += step.usage.completionTokens;
      }
      return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
    },
  };
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
