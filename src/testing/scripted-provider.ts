import {
  type AxAIService,
  type AxAIServiceOptions,
  type AxChatRequest,
  type AxChatResponse,
  type AxEmbedRequest,
  type AxEmbedResponse,
  AxMockAIService,
} from '@ax-llm/ax';
import { SignetError } from '../errors/signet-error.ts';
import type { RecordedCall, ScriptedReply, ScriptRule } from './scripted-reply.ts';

/** Options of `createScriptedProvider`. */
export interface ScriptedProviderOptions {
  /** Provider name reported in traces and usage (default `scripted`). */
  readonly name?: string;
  /** Model name reported when the caller names none (default `scripted-model`). */
  readonly model?: string;
  /** Replies consumed in order, one per call, after rules had their chance. */
  readonly replies?: readonly ScriptedReply[];
  /** Replies chosen by inspecting the call; checked first, in order. */
  readonly rules?: readonly ScriptRule[];
  /** Reply used when no rule matches and the queue is empty; otherwise such a call fails loudly. */
  readonly fallback?: ScriptedReply | ((call: RecordedCall) => ScriptedReply);
  /** Whether the model supports native tool calling (default true). */
  readonly tools?: boolean;
  /** Vector returned by `embed` for each text (default: a 4-dimensional hash of the text). */
  readonly embedding?: (text: string) => number[];
}

/** An Ax provider that answers from a script and records every call. */
export interface ScriptedProvider extends AxAIService {
  /** Every chat call made so far, in order. */
  readonly calls: readonly RecordedCall[];
  /** Scripted replies not yet consumed. */
  readonly remaining: number;
}

/**
 * A deterministic provider for tests of programs: replies come from a queue or from rules, every call
 * is recorded, and a call the script does not cover fails with SIGNET_SCRIPT_EXHAUSTED so a test never
 * passes by accident.
 */
export function createScriptedProvider(options: ScriptedProviderOptions = {}): ScriptedProvider {
  const name = options.name ?? 'scripted';
  const defaultModel = options.model ?? 'scripted-model';
  const queue = [...(options.replies ?? [])];
  const rules = (options.rules ?? []).map((rule) => ({ rule, fired: 0 }));
  const calls: RecordedCall[] = [];

  const choose = (call: RecordedCall): ScriptedReply => {
    for (const entry of rules) {
      const { when, reply, times } = entry.rule;
      if (times !== undefined && entry.fired >= times) continue;
      const hit = when instanceof RegExp ? when.test(call.lastUserMessage) : when(call);
      if (!hit) continue;
      entry.fired++;
      return typeof reply === 'function' ? reply(call) : reply;
    }
    const next = queue.shift();
    if (next !== undefined) return next;
    if (options.fallback !== undefined) {
      return typeof options.fallback === 'function' ? options.fallback(call) : options.fallback;
    }
    throw new SignetError(
      'SIGNET_SCRIPT_EXHAUSTED',
      `scripted provider "${name}" has no reply for call ${call.index} (last user message: ${JSON.stringify(
        call.lastUserMessage.slice(0, 120),
      )}); add a reply, a rule or a fallback`,
    );
  };

  const chat = async (
    req: Readonly<AxChatRequest<unknown>>,
    callOptions?: Readonly<AxAIServiceOptions>,
  ): Promise<AxChatResponse> => {
    const call = record(calls.length, req, defaultModel);
    calls.push(call);
    const reply = normalize(choose(call));
    if (reply.delayMs !== undefined) await sleep(reply.delayMs, callOptions?.abortSignal);
    callOptions?.abortSignal?.throwIfAborted();
    if (reply.error !== undefined) throw reply.error;
    const content = reply.content ?? '';
    const promptTokens = reply.usage?.promptTokens ?? estimateTokens(req.chatPrompt.map(textOf).join('\n'));
    const completionTokens = reply.usage?.completionTokens ?? estimateTokens(content);
    const toolCalls = reply.toolCalls ?? [];
    return {
      results: [
        {
          index: 0,
          content,
          finishReason: toolCalls.length > 0 ? 'function_call' : (reply.finishReason ?? 'stop'),
          ...(toolCalls.length > 0
            ? {
                functionCalls: toolCalls.map((tool, i) => ({
                  id: `call_${call.index}_${i}`,
                  type: 'function' as const,
                  function: { name: tool.name, params: tool.args },
                })),
              }
            : {}),
        },
      ],
      modelUsage: {
        ai: name,
        model: call.model,
        tokens: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
      },
    };
  };

  const embedOf = options.embedding ?? hashEmbedding;
  const service = new AxMockAIService({
    name,
    id: name,
    modelInfo: { name: defaultModel },
    features: { functions: options.tools ?? true, streaming: false },
    chatResponse: chat,
    embedResponse: (req: Readonly<AxEmbedRequest>): AxEmbedResponse => ({
      embeddings: (req.texts ?? []).map((text) => embedOf(text)),
      modelUsage: { ai: name, model: defaultModel },
    }),
  });
  return Object.defineProperties(service, {
    calls: { get: () => calls, enumerable: true },
    remaining: { get: () => queue.length, enumerable: true },
  }) as AxMockAIService<string> & ScriptedProvider;
}

function normalize(reply: ScriptedReply): Exclude<ScriptedReply, string> {
  return typeof reply === 'string' ? { content: reply } : reply;
}

function record(index: number, req: Readonly<AxChatRequest<unknown>>, defaultModel: string): RecordedCall {
  const system = req.chatPrompt.find((m) => m.role === 'system');
  const messages = req.chatPrompt
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role, content: textOf(m) }));
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return {
    index,
    model: typeof req.model === 'string' ? req.model : defaultModel,
    system: system === undefined ? '' : textOf(system),
    messages,
    lastUserMessage: lastUser?.content ?? '',
    tools: (req.functions ?? []).map((f) => f.name),
    modelConfig: { ...(req.modelConfig ?? {}) },
    request: req,
  };
}

function textOf(message: AxChatRequest['chatPrompt'][number]): string {
  if (message.role === 'function') return message.result;
  const content: unknown = 'content' in message ? message.content : '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : ''))
      .join('');
  }
  if ('functionCalls' in message && message.functionCalls !== undefined)
    return JSON.stringify(message.functionCalls);
  return '';
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function hashEmbedding(text: string): number[] {
  const vector = [0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) vector[i % 4] = ((vector[i % 4] ?? 0) + text.charCodeAt(i)) % 997;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
