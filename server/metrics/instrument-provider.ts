import type {
  AxAIService,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxEmbedRequest,
  AxSpeechRequest,
  AxTranscriptionRequest,
} from '@ax-llm/ax';
import type { ServerMetrics } from './server-metrics.ts';

/** Labels a provider's calls are recorded under: the resolver's names, so they stay bounded. */
export interface ProviderLabels {
  /** Provider name. */
  readonly provider: string;
  /** Model name. */
  readonly model: string;
}

/** Collects the time one request spent waiting for its provider. */
export interface ProviderTimer {
  /** Milliseconds spent in model calls so far (sum over calls; a stream counts until its last chunk). */
  readonly totalMs: number;
}

/**
 * Wraps a provider so each chat call records its duration, outcome, tokens and, for streams, the time
 * to first chunk. Returns the wrapped service and a timer holding the request's total provider time,
 * which the server subtracts from its own time to get the gateway overhead.
 */
export function instrumentProvider(
  ai: AxAIService,
  labels: ProviderLabels,
  metrics: ServerMetrics,
): { ai: AxAIService; timer: ProviderTimer } {
  const timer = { totalMs: 0 };
  return { ai: new InstrumentedService(ai, labels, metrics, timer), timer };
}

/**
 * Delegates every member of Ax's service interface and instruments `chat`. A class rather than a Proxy
 * (Ax reads provider members many times per call); a service a router pins for a run is wrapped too.
 */
class InstrumentedService implements AxAIService {
  declare readonly validateChatRequest?: NonNullable<AxAIService['validateChatRequest']>;
  declare readonly resolveChatService?: NonNullable<AxAIService['resolveChatService']>;

  constructor(
    private readonly ai: AxAIService,
    private readonly labels: ProviderLabels,
    private readonly metrics: ServerMetrics,
    private readonly timer: { totalMs: number },
  ) {
    const { validateChatRequest, resolveChatService } = ai;
    if (validateChatRequest !== undefined) this.validateChatRequest = validateChatRequest.bind(ai);
    if (resolveChatService !== undefined) {
      this.resolveChatService = async (req, options) => {
        const resolved = await resolveChatService.call(ai, req, options);
        return { ...resolved, service: new InstrumentedService(resolved.service, labels, metrics, timer) };
      };
    }
  }

  async chat(
    req: Readonly<AxChatRequest<unknown>>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>> {
    const started = performance.now();
    let response: AxChatResponse | ReadableStream<AxChatResponse>;
    try {
      response = await this.ai.chat(req, options);
    } catch (error) {
      this.finish(started, 'error', undefined);
      throw error;
    }
    if (!(response instanceof ReadableStream)) {
      this.finish(started, 'ok', response.modelUsage);
      return response;
    }
    return observeStream(response, {
      onFirst: () => this.metrics.timeToFirstToken.observe(this.labels, (performance.now() - started) / 1000),
      onEnd: (outcome, usage) => this.finish(started, outcome, usage),
    });
  }

  private finish(started: number, outcome: 'ok' | 'error', usage: AxChatResponse['modelUsage']): void {
    const ms = performance.now() - started;
    this.timer.totalMs += ms;
    this.metrics.providerDuration.observe({ ...this.labels, outcome }, ms / 1000);
    const tokens = usage?.tokens;
    if (tokens !== undefined) {
      this.metrics.tokens.inc({ ...this.labels, type: 'input' }, tokens.promptTokens);
      this.metrics.tokens.inc({ ...this.labels, type: 'output' }, tokens.completionTokens);
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

function observeStream(
  source: ReadableStream<AxChatResponse>,
  hooks: {
    onFirst: () => void;
    onEnd: (outcome: 'ok' | 'error', usage: AxChatResponse['modelUsage']) => void;
  },
): ReadableStream<AxChatResponse> {
  const reader = source.getReader();
  let first = true;
  let ended = false;
  let usage: AxChatResponse['modelUsage'];
  const end = (outcome: 'ok' | 'error') => {
    if (ended) return;
    ended = true;
    hooks.onEnd(outcome, usage);
  };
  return new ReadableStream<AxChatResponse>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        end('error');
        controller.error(error);
        return;
      }
      if (chunk.done) {
        end('ok');
        controller.close();
        return;
      }
      if (first) {
        first = false;
        hooks.onFirst();
      }
      if (chunk.value.modelUsage?.tokens !== undefined) usage = chunk.value.modelUsage;
      controller.enqueue(chunk.value);
    },
    async cancel(reason) {
      end('error');
      await reader.cancel(reason);
    },
  });
}
