import type { AxAIService, AxAIServiceOptions, AxChatRequest, AxChatResponse } from '@ax-llm/ax';
import { DelegatingService } from '../providers/shared/delegating-service.ts';
import { hashCanonical } from '../util/canonical-json.ts';
import type { StepCheckpoints } from './step-checkpoints.ts';

/** What is kept of a model reply: enough for Ax to parse it again. */
type RecordedReply = Pick<AxChatResponse, 'results' | 'modelUsage'>;

/**
 * A provider whose replies are checkpointed: each call is keyed by its order in the run and a hash of
 * the request (prompt, functions, model and settings), so a resumed run replays the replies an earlier
 * attempt got, with no model call, until the first call that was never answered. A request that differs
 * from the recorded one gets a key of its own (it is asked, not replayed). Streamed calls are recorded
 * when the stream ends and replayed as one chunk.
 */
export class CheckpointingService extends DelegatingService {
  constructor(
    ai: AxAIService,
    private readonly checkpoints: StepCheckpoints,
  ) {
    super(ai);
  }

  protected rewrap(service: AxAIService): AxAIService {
    return new CheckpointingService(service, this.checkpoints);
  }

  async chat(
    req: Readonly<AxChatRequest>,
    options?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>> {
    const key = this.checkpoints.key(
      `model:${hashCanonical({
        prompt: req.chatPrompt,
        functions: (req.functions ?? []).map((f) => f.name),
        model: req.model ?? null,
        config: req.modelConfig ?? null,
      }).slice(0, 16)}`,
    );
    const recorded = this.checkpoints.recorded(key);
    if (recorded !== undefined) {
      const reply = recorded.value as RecordedReply;
      if (options?.stream !== true) return { ...reply };
      return new ReadableStream<AxChatResponse>({
        start(controller) {
          controller.enqueue({ ...reply });
          controller.close();
        },
      });
    }
    const res = await this.ai.chat(req, options);
    if (!(res instanceof ReadableStream)) {
      await this.checkpoints.record(key, toRecorded(res));
      return res;
    }
    const parts: AxChatResponse[] = [];
    const { checkpoints } = this;
    return res.pipeThrough(
      new TransformStream<AxChatResponse, AxChatResponse>({
        transform(chunk, controller) {
          parts.push(chunk);
          controller.enqueue(chunk);
        },
        async flush() {
          await checkpoints.record(key, joined(parts));
        },
      }),
    );
  }
}

function toRecorded(res: AxChatResponse): RecordedReply {
  return { results: res.results, ...(res.modelUsage === undefined ? {} : { modelUsage: res.modelUsage }) };
}

/** One reply from a stream's chunks: each result's text and function calls joined, the last usage kept. */
function joined(parts: readonly AxChatResponse[]): RecordedReply {
  const results = new Map<number, AxChatResponse['results'][number]>();
  let modelUsage: AxChatResponse['modelUsage'];
  for (const part of parts) {
    if (part.modelUsage !== undefined) modelUsage = part.modelUsage;
    for (const result of part.results) {
      const index = result.index ?? 0;
      const before = results.get(index);
      results.set(index, {
        ...before,
        ...result,
        content: (before?.content ?? '') + (result.content ?? ''),
        ...(result.functionCalls === undefined && before?.functionCalls === undefined
          ? {}
          : { functionCalls: [...(before?.functionCalls ?? []), ...(result.functionCalls ?? [])] }),
      });
    }
  }
  return { results: [...results.values()], ...(modelUsage === undefined ? {} : { modelUsage }) };
}
