import type { AxAIService, AxAIServiceOptions, AxChatRequest, AxChatResponse } from '@ax-llm/ax';
import { DelegatingService } from '../../src/providers/shared/delegating-service.ts';
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
class InstrumentedService extends DelegatingService {
  constructor(
    ai: AxAIService,
    private readonly labels: ProviderLabels,
    private readonly metrics: ServerMetrics,
    private readonly timer: { totalMs: number },
  ) {
    super(ai);
  }

  protected rewrap(service: AxAIService): AxAIService {
    return new InstrumentedService(service, this.labels, this.metrics, this.timer);
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
