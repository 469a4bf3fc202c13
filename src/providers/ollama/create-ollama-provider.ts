import {
  type AxAIFeatures,
  type AxAIServiceOptions,
  type AxChatRequest,
  type AxChatResponse,
  type AxEmbedRequest,
  type AxEmbedResponse,
  type AxLoggerFunction,
  type AxModelConfig,
  axCreateDefaultTextLogger,
} from '@ax-llm/ax';
import { SignetError } from '../../errors/signet-error.ts';
import type { ProviderCapabilities, ProviderDevice } from '../shared/provider-capabilities.ts';
import { createServiceMetrics } from '../shared/service-metrics.ts';
import { checkOllamaHealth } from './check-ollama-health.ts';
import { createOllamaChatRequest } from './create-ollama-chat-request.ts';
import { mapOllamaChatResponse } from './map-ollama-chat-response.ts';
import { toAxChatStream } from './ollama-chat-stream.ts';
import { createOllamaClient, resolveOllamaHost } from './ollama-connection.ts';
import { ollamaError } from './ollama-error.ts';
import { structuredOutputModes } from './ollama-format.ts';
import type { OllamaProvider, OllamaProviderOptions } from './ollama-provider-options.ts';
import { openRequestScope, type RequestScope } from './request-scope.ts';
import { numberField } from './wire-fields.ts';

/** Context window Ollama runs a model with when `num_ctx` is not set (recent releases; older used 2048). */
export const OLLAMA_DEFAULT_NUM_CTX = 4096;

/**
 * Creates a provider that runs Ax programs on an Ollama server through the official `ollama` client.
 * It only translates: no retries (the router owns them), no queueing. Every call honours Ax's
 * `abortSignal` (and `timeout`) by aborting its HTTP request. Chat streams when Ax asks (`stream: true`)
 * and returns NDJSON lines as Ax deltas. When a program asks for structured output, the output JSON
 * Schema goes to Ollama's `format` (see `structuredOutput`). Creating it makes no request; use
 * `health()` or `openOllamaProvider` to check the server.
 */
export function createOllamaProvider(options: OllamaProviderOptions): OllamaProvider {
  const name = options.name ?? 'ollama';
  const host = resolveOllamaHost(options);
  const embedModel = options.embedModel ?? options.model;
  const structuredOutput = options.structuredOutput ?? 'schema';
  const modelCapabilities = options.modelInfo?.capabilities ?? [];
  const known = modelCapabilities.length > 0;
  const tools = options.tools ?? (known ? modelCapabilities.includes('tools') : true);
  const metrics = createServiceMetrics();
  const openScopes = new Set<AbortController>();
  let serviceOptions: Readonly<AxAIServiceOptions> = {};
  let defaultLogger: AxLoggerFunction | undefined;
  let lastChatModel: string | undefined;
  let lastEmbedModel: string | undefined;
  let lastModelConfig: AxModelConfig | undefined;
  let closed = false;

  const capabilities: ProviderCapabilities = Object.freeze({
    runtime: 'ollama',
    device: options.device ?? defaultOllamaDevice(),
    streaming: true,
    structuredOutput: structuredOutput === 'schema',
    tools,
    embeddings: options.embedModel !== undefined || modelCapabilities.includes('embedding'),
    contextWindow: contextWindowOf(options),
    maxConcurrency: options.maxConcurrency ?? ollamaParallel(options.env ?? process.env),
    local: true,
  });
  const features: AxAIFeatures = {
    functions: tools,
    streaming: true,
    structuredOutputs: structuredOutput === 'schema',
    structuredOutputModes: structuredOutputModes(structuredOutput),
    media: {
      images: { supported: modelCapabilities.includes('vision'), formats: ['image/png', 'image/jpeg'] },
      audio: { supported: false, formats: [] },
      files: { supported: false, formats: [], uploadMethod: 'none' },
      urls: { supported: false, webSearch: false, contextFetching: false },
    },
    caching: { supported: false, types: [] },
    thinking: modelCapabilities.includes('thinking'),
    multiTurn: true,
  };

  /** Opens the scope of one call, or fails when the provider is closed. */
  const begin = (callOptions: Readonly<AxAIServiceOptions>): RequestScope => {
    if (closed) throw closedError(name);
    return openRequestScope({ signal: callOptions.abortSignal, timeoutMs: callOptions.timeout, openScopes });
  };

  /** Counts a failure in the metrics, unless the caller aborted (not the provider's fault). */
  const failed = (operation: 'chat' | 'embed', started: number, error: SignetError): SignetError => {
    if (error.code !== 'SIGNET_ABORTED') metrics.record(operation, performance.now() - started, false);
    return error;
  };

  const chat = async (
    req: Readonly<AxChatRequest<unknown>>,
    perCall?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>> => {
    const callOptions = { ...serviceOptions, ...perCall };
    const model = typeof req.model === 'string' && req.model !== '' ? req.model : options.model;
    const settings = {
      model,
      keepAlive: options.keepAlive,
      numCtx: options.numCtx,
      options: options.ollamaOptions,
      structuredOutput,
    };
    const request = createOllamaChatRequest(req, settings, callOptions);
    const stream = callOptions.stream ?? req.modelConfig?.stream ?? false;
    const scope = begin(callOptions);
    lastChatModel = model;
    lastModelConfig = req.modelConfig;
    const context = { host, model, signal: scope.signal };
    const state = { provider: name, model, toolCalls: 0 };
    const started = performance.now();
    let streaming = false;
    try {
      const client = await createOllamaClient(options, scope.signal);
      if (!stream) {
        const response: unknown = await client.chat({ ...request, stream: false });
        metrics.record('chat', performance.now() - started, true);
        return mapOllamaChatResponse(response, state);
      }
      const source = await client.chat({ ...request, stream: true });
      streaming = true;
      return toAxChatStream(source, {
        map: (message) => mapOllamaChatResponse(message, state),
        fail: (error) => ollamaError(error, context),
        finish: (outcome) => {
          scope.release();
          if (outcome !== 'cancelled') metrics.record('chat', performance.now() - started, outcome === 'ok');
        },
      });
    } catch (error) {
      throw failed('chat', started, ollamaError(error, context));
    } finally {
      if (!streaming) scope.release();
    }
  };

  const embed = async (
    req: Readonly<AxEmbedRequest<unknown>>,
    perCall?: Readonly<AxAIServiceOptions>,
  ): Promise<AxEmbedResponse> => {
    const callOptions = { ...serviceOptions, ...perCall };
    const model = typeof req.embedModel === 'string' && req.embedModel !== '' ? req.embedModel : embedModel;
    const texts = [...(req.texts ?? [])];
    lastEmbedModel = model;
    if (texts.length === 0) return { embeddings: [], modelUsage: { ai: name, model } };
    const scope = begin(callOptions);
    const started = performance.now();
    try {
      const response = await (await createOllamaClient(options, scope.signal)).embed({
        model,
        input: texts,
        ...(options.keepAlive === undefined ? {} : { keep_alive: options.keepAlive }),
      });
      metrics.record('embed', performance.now() - started, true);
      const promptTokens = numberField(response, 'prompt_eval_count') ?? 0;
      return {
        embeddings: response.embeddings,
        modelUsage: {
          ai: name,
          model,
          tokens: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
        },
      };
    } catch (error) {
      throw failed('embed', started, ollamaError(error, { host, model, signal: scope.signal }));
    } finally {
      scope.release();
    }
  };

  return {
    model: options.model,
    host,
    capabilities,
    getId: () => `${name}:${options.model}`,
    getName: () => name,
    getFeatures: () => features,
    getModelList: () => undefined,
    getMetrics: () => metrics.snapshot(),
    getLogger: () => {
      defaultLogger ??= axCreateDefaultTextLogger();
      return serviceOptions.logger ?? defaultLogger;
    },
    getLastUsedChatModel: () => lastChatModel,
    getLastUsedEmbedModel: () => lastEmbedModel,
    getLastUsedModelConfig: () => lastModelConfig,
    chat,
    embed,
    transcribe: () => Promise.reject(unsupported(name, 'transcription')),
    speak: () => Promise.reject(unsupported(name, 'speech synthesis')),
    getEstimatedCost: () => 0,
    setOptions: (next) => {
      serviceOptions = { ...next };
    },
    getOptions: () => serviceOptions,
    health: (signal) =>
      checkOllamaHealth({ ...options, model: options.model, timeoutMs: options.healthTimeoutMs, signal }),
    close: async () => {
      closed = true;
      for (const controller of [...openScopes]) controller.abort(closedError(name));
    },
  };
}

/** `metal` on Apple silicon (Ollama always uses it there), else `cpu`: Ollama does not report CUDA use. */
export function defaultOllamaDevice(
  platform: string = process.platform,
  arch: string = process.arch,
): ProviderDevice {
  return platform === 'darwin' && arch === 'arm64' ? 'metal' : 'cpu';
}

/** The window Ollama actually runs with: `num_ctx` (or its default), capped by what the model supports. */
function contextWindowOf(options: OllamaProviderOptions): number {
  const run = options.numCtx ?? OLLAMA_DEFAULT_NUM_CTX;
  const trained = options.modelInfo?.contextLength;
  return trained === undefined ? run : Math.min(run, trained);
}

function closedError(name: string): SignetError {
  return new SignetError(
    'SIGNET_PROVIDER_UNAVAILABLE',
    `${name}: the provider was closed; create a new one with createOllamaProvider()`,
    { details: { provider: name } },
  );
}

function unsupported(name: string, what: string): SignetError {
  return new SignetError(
    'SIGNET_PROVIDER_REJECTED',
    `${name}: Ollama does not offer ${what}; use another provider`,
    {
      details: { provider: name },
    },
  );
}

/**
 * Requests an Ollama server runs at once per model: `OLLAMA_NUM_PARALLEL` when this environment sets it
 * (the server usually runs beside us with the same environment), else 4, what Ollama picks itself on a
 * machine with the memory for it. More than the server runs just wait in its own queue; fewer would
 * make the router's bulkhead serialize requests Ollama could run in parallel.
 */
function ollamaParallel(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env.OLLAMA_NUM_PARALLEL);
  return Number.isInteger(value) && value > 0 ? value : 4;
}
