import type {
  AxAIFeatures,
  AxAIService,
  AxAIServiceOptions,
  AxChatRequest,
  AxChatResponse,
  AxEmbedRequest,
  AxEmbedResponse,
  AxModelConfig,
  AxModelUsage,
} from '@ax-llm/ax';
import { SignetError } from '../errors/signet-error.ts';
import type { ServiceMetrics } from '../providers/shared/service-metrics.ts';
import { decorateChat, decorateEmbed } from './decorate-response.ts';
import type { DeploymentRunner } from './deployment-runner.ts';
import { type LiveRouteRecord, routeCall } from './route-call.ts';
import type { RouteRecord } from './route-record.ts';
import type { RecordingRouter, Router } from './router.ts';
import type { RouterEvents, RouterOperation } from './router-events.ts';

/** State shared by a router and all its views (`only`, `recording`). */
export interface RouterShared {
  /** Service name. */
  readonly name: string;
  /** Every deployment by id. */
  readonly runners: ReadonlyMap<string, DeploymentRunner>;
  /** Event hub. */
  readonly events: RouterEvents;
  /** Latency and error statistics for `getMetrics()`. */
  readonly metrics: ServiceMetrics;
  /** Router clock. */
  readonly now: () => number;
  /** Numbers calls. */
  nextCallId(): number;
  /** Options set with `setOptions`, applied to every call. */
  getOptions(): Readonly<AxAIServiceOptions>;
  /** Replaces those options. */
  setOptions(options: Readonly<AxAIServiceOptions>): void;
  /** What the last call used, for Ax's `getLastUsed*`. */
  readonly lastUsed: { chatModel: unknown; embedModel: unknown; modelConfig: AxModelConfig | undefined };
}

/** A router over some of the shared deployments, optionally recording its calls. */
export function createRouterView(
  shared: RouterShared,
  runners: readonly DeploymentRunner[],
  routes: LiveRouteRecord[] | undefined,
): Router {
  const [first] = runners;
  if (first === undefined) throw new TypeError('router: a view needs at least one deployment');

  const start = (operation: RouterOperation): LiveRouteRecord => {
    const record: LiveRouteRecord = {
      callId: shared.nextCallId(),
      operation,
      deployment: undefined,
      attempts: [],
    };
    routes?.push(record);
    return record;
  };
  // The router is the only retry owner: Ax-level retries of the providers are switched off.
  const callOptions = (options: Readonly<AxAIServiceOptions> | undefined) => ({
    ...shared.getOptions(),
    ...options,
    retry: { ...options?.retry, maxRetries: 0 },
  });
  const timed = async <T>(kind: 'chat' | 'embed' | undefined, work: () => Promise<T>): Promise<T> => {
    const started = shared.now();
    try {
      const value = await work();
      if (kind !== undefined) shared.metrics.record(kind, shared.now() - started, true);
      return value;
    } catch (error) {
      if (kind !== undefined) shared.metrics.record(kind, shared.now() - started, false);
      throw error;
    }
  };
  const base = (record: LiveRouteRecord, options: Readonly<AxAIServiceOptions> | undefined) => ({
    runners,
    record,
    signal: options?.abortSignal,
    events: shared.events,
    now: shared.now,
  });

  const chat = (req: Readonly<AxChatRequest<unknown>>, options?: Readonly<AxAIServiceOptions>) =>
    timed('chat', async () => {
      const record = start('chat');
      // The router decides the stream mode and asks for it explicitly: a provider's own default (Ax's
      // cloud services stream unless told otherwise) must never turn a plain call into a stream that the
      // per-try timeout cancels when the try returns.
      const streamed = (options?.stream ?? shared.getOptions().stream) === true;
      const sendOptions = { ...callOptions(options), stream: streamed };
      const modelOf = (runner: DeploymentRunner) => runner.deployment.model ?? req.model;
      const value = await routeCall<AxChatResponse | ReadableStream<AxChatResponse>>({
        ...base(record, options),
        run: (runner, context) => {
          const model = modelOf(runner);
          const request = model === undefined ? req : { ...req, model };
          const send = (signal: AbortSignal) =>
            runner.deployment.ai.chat(request, { ...sendOptions, abortSignal: signal });
          const name = String(model ?? runner.deployment.ai.getLastUsedChatModel() ?? 'unknown');
          return streamed
            ? runner.stream(context, send, (chunk, index) => decorateChat(chunk, index, record, name, true))
            : runner.call(context, async (signal) =>
                readWithin(await send(signal), (chunk, index) =>
                  decorateChat(chunk, index, record, name, true),
                ),
              );
        },
      });
      const runner = answeredBy(shared, record);
      const model = modelOf(runner) ?? runner.deployment.ai.getLastUsedChatModel();
      shared.lastUsed.chatModel = model;
      shared.lastUsed.modelConfig = runner.deployment.ai.getLastUsedModelConfig();
      if (value instanceof ReadableStream) return value;
      return decorateChat(value, 0, record, String(model ?? 'unknown'), false);
    });

  const embed = (req: Readonly<AxEmbedRequest<unknown>>, options?: Readonly<AxAIServiceOptions>) =>
    timed('embed', async () => {
      const record = start('embed');
      const sendOptions = callOptions(options);
      const modelOf = (runner: DeploymentRunner) => runner.deployment.embedModel ?? req.embedModel;
      const value = await routeCall<AxEmbedResponse>({
        ...base(record, options),
        skip: (runner) => (runner.deployment.embeddings ? undefined : 'no-embeddings'),
        run: (runner, context) => {
          const embedModel = modelOf(runner);
          const request = embedModel === undefined ? req : { ...req, embedModel };
          return runner.call(context, (signal) =>
            runner.deployment.ai.embed(request, { ...sendOptions, abortSignal: signal }),
          );
        },
      });
      const runner = answeredBy(shared, record);
      const model = modelOf(runner) ?? runner.deployment.ai.getLastUsedEmbedModel();
      shared.lastUsed.embedModel = model;
      return decorateEmbed(value, record, String(model ?? 'unknown'));
    });

  /** Transcription and speech go through the same chain, without decoration. */
  const plain = <T>(
    operation: RouterOperation,
    options: Readonly<AxAIServiceOptions> | undefined,
    send: (ai: AxAIService, options: AxAIServiceOptions) => Promise<T>,
  ) =>
    timed(undefined, () => {
      const record = start(operation);
      const sendOptions = callOptions(options);
      return routeCall<T>({
        ...base(record, options),
        run: (runner, context) =>
          runner.call(context, (signal) =>
            send(runner.deployment.ai, { ...sendOptions, abortSignal: signal }),
          ),
      });
    });

  const view: Router = {
    deployments: runners.map((runner) => runner.deployment.id),
    capabilities: {
      structuredOutput: runners.some(
        (runner) =>
          (runner.deployment.ai as { capabilities?: { structuredOutput?: boolean } }).capabilities
            ?.structuredOutput === true,
      ),
    },
    getId: () => shared.name,
    getName: () => shared.name,
    getFeatures: (model?: unknown) => combinedFeatures(runners, model),
    getModelList: () => undefined,
    getMetrics: () => shared.metrics.snapshot(),
    getLogger: () => first.deployment.ai.getLogger(),
    getLastUsedChatModel: () => shared.lastUsed.chatModel,
    getLastUsedEmbedModel: () => shared.lastUsed.embedModel,
    getLastUsedModelConfig: () => shared.lastUsed.modelConfig,
    chat,
    embed,
    transcribe: (req, options) => plain('transcribe', options, (ai, o) => ai.transcribe(req, o)),
    speak: (req, options) => plain('speak', options, (ai, o) => ai.speak(req, o)),
    getEstimatedCost: (usage?: AxModelUsage) => {
      const runner = usage === undefined ? undefined : shared.runners.get(usage.ai);
      return runner === undefined ? 0 : runner.deployment.ai.getEstimatedCost(usage);
    },
    setOptions: (options) => shared.setOptions(options),
    getOptions: () => shared.getOptions(),
    on: (listener, options) => shared.events.on(listener, options),
    health: () => runners.map((runner) => runner.health()),
    only(id) {
      const runner = shared.runners.get(id);
      if (runner === undefined || !runners.includes(runner)) {
        const known = runners.map((r) => `"${r.deployment.id}"`).join(', ');
        throw new TypeError(`router: no deployment "${id}" here (known: ${known})`);
      }
      return createRouterView(shared, [runner], routes);
    },
    recording(): RecordingRouter {
      const own: LiveRouteRecord[] = [];
      const recorder = createRouterView(shared, runners, own);
      return Object.defineProperty(recorder, 'routes', {
        get: (): readonly RouteRecord[] => own,
        enumerable: true,
      }) as RecordingRouter;
    },
  };
  return view;
}

/**
 * A plain call whose provider answered with a stream anyway is read to its end inside the try, so the
 * try's timeout and signal cover all of it, and replayed to the caller chunk for chunk.
 */
async function readWithin(
  response: AxChatResponse | ReadableStream<AxChatResponse>,
  decorate: (chunk: AxChatResponse, index: number) => AxChatResponse,
): Promise<AxChatResponse | ReadableStream<AxChatResponse>> {
  if (!(response instanceof ReadableStream)) return response;
  const chunks: AxChatResponse[] = [];
  for await (const chunk of response) chunks.push(chunk);
  let index = 0;
  // Decorated when read, once the router has finished its record of the call (as streamed chunks are).
  return new ReadableStream<AxChatResponse>(
    {
      pull(controller) {
        const chunk = chunks[index];
        if (chunk === undefined) controller.close();
        else controller.enqueue(decorate(chunk, index++));
      },
    },
    { highWaterMark: 0 },
  );
}

function answeredBy(shared: RouterShared, record: RouteRecord): DeploymentRunner {
  const runner = record.deployment === undefined ? undefined : shared.runners.get(record.deployment);
  if (runner === undefined) {
    throw new SignetError(
      'SIGNET_INTERNAL',
      `router: call ${record.callId} returned without naming a deployment`,
    );
  }
  return runner;
}

/**
 * Features every deployment shares, so a prompt built for the first also suits the fallbacks: the first
 * deployment's features with tools, streaming and structured outputs only when all support them.
 */
function combinedFeatures(runners: readonly DeploymentRunner[], model: unknown): AxAIFeatures {
  const all = runners.map((runner) => runner.deployment.ai.getFeatures(runner.deployment.model ?? model));
  const [first] = all;
  if (first === undefined) throw new Error('router: no deployments');
  const everyStructured = all.every((features) => features.structuredOutputs === true);
  const { structuredOutputModes, requiresStructuredOutput, ...rest } = first;
  return {
    ...rest,
    functions: all.every((features) => features.functions),
    streaming: all.every((features) => features.streaming),
    ...(first.structuredOutputs === undefined ? {} : { structuredOutputs: everyStructured }),
    ...(everyStructured && structuredOutputModes !== undefined ? { structuredOutputModes } : {}),
    ...(everyStructured && requiresStructuredOutput !== undefined ? { requiresStructuredOutput } : {}),
  };
}
