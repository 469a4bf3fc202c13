import { basename } from 'node:path';
import type { AxAIServiceOptions, AxChatRequest, AxChatResponse } from '@ax-llm/ax';
import { defineProvider } from '../shared/define-provider.ts';
import type { ProviderDevice } from '../shared/provider-capabilities.ts';
import type { SignetProvider } from '../shared/signet-provider.ts';
import { outputSchemaOf, typedDecodingOf } from '../shared/typed-decoding-option.ts';
import { convertToOnnxMessages } from './convert-to-onnx-messages.ts';
import type { OnnxEngine } from './onnx-engine.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult } from './onnx-generate-request.ts';

/** Options of the in-process ONNX provider. */
export interface OnnxProviderOptions {
  /** The engine that loads and runs models (share one per process). */
  readonly engine: OnnxEngine;
  /** Chat model: a local folder (transformers.js layout) or a hub id when the engine allows downloads. */
  readonly model: string;
  /** Embedding model (an encoder folder or id); embeddings are unsupported without it. */
  readonly embedModel?: string;
  /** Device the engine was configured for; reported in capabilities. */
  readonly device?: ProviderDevice;
  /** Tokens generated when the request sets no `maxTokens` (default 512). */
  readonly defaultMaxTokens?: number;
  /** Name used in traces and metrics (default `onnx`). */
  readonly name?: string;
  /**
   * Requests reported in `capabilities.maxConcurrency`, which a router's bulkhead lets in at once
   * (default: `engine.concurrency()`, so concurrent requests reach the engine and share batches).
   */
  readonly maxConcurrency?: number;
  /**
   * Typed decoding (default on): Ax is asked for JSON output matching the signature, and generation is
   * constrained to that schema so the output always parses. A run can still opt out per call
   * (`program.run(inputs, { constrain: false })`).
   */
  readonly typedDecoding?: boolean;
}

/**
 * A local, in-process provider: Ax prompts go through the model's chat template, generation runs in
 * onnxruntime, and streaming yields text deltas as tokens are decoded. Nothing leaves the machine.
 */
export async function createOnnxProvider(options: OnnxProviderOptions): Promise<SignetProvider> {
  const name = options.name ?? 'onnx';
  const info = await options.engine.load(options.model, { task: 'text-generation' });
  const modelName = modelLabel(options.model);
  const defaultMaxTokens = options.defaultMaxTokens ?? 512;

  const typed = options.typedDecoding ?? true;

  const request = (
    req: Readonly<AxChatRequest<unknown>>,
    callOptions: Readonly<AxAIServiceOptions> | undefined,
    onToken?: (delta: string) => void,
  ): OnnxGenerateRequest => {
    const config = req.modelConfig ?? {};
    const signal = callOptions?.abortSignal;
    // The signature's own schema (when the program sent it) is exact; Ax's drops details like integers.
    const jsonSchema =
      typed && typedDecodingOf(callOptions) === 'constrained' && req.responseFormat !== undefined
        ? (outputSchemaOf(callOptions) ?? schemaOf(req.responseFormat))
        : undefined;
    return {
      ...(jsonSchema === undefined ? {} : { jsonSchema }),
      model: options.model,
      messages: convertToOnnxMessages(req.chatPrompt),
      maxTokens: config.maxTokens ?? defaultMaxTokens,
      ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
      ...(config.topP === undefined ? {} : { topP: config.topP }),
      ...(config.stopSequences === undefined ? {} : { stop: config.stopSequences }),
      ...(signal === undefined ? {} : { signal }),
      ...(onToken === undefined ? {} : { onToken }),
    };
  };

  const response = (result: OnnxGenerateResult): AxChatResponse => ({
    results: [{ index: 0, content: result.text, finishReason: result.finishReason }],
    modelUsage: usage(name, modelName, result),
  });

  const chat = async (
    req: Readonly<AxChatRequest<unknown>>,
    callOptions: Readonly<AxAIServiceOptions> | undefined,
  ): Promise<AxChatResponse | ReadableStream<AxChatResponse>> => {
    if (req.modelConfig?.stream !== true)
      return response(await options.engine.generate(request(req, callOptions)));
    return new ReadableStream<AxChatResponse>({
      start: async (controller) => {
        try {
          const result = await options.engine.generate(
            request(req, callOptions, (delta) =>
              controller.enqueue({ results: [{ index: 0, content: delta }] }),
            ),
          );
          controller.enqueue({
            results: [{ index: 0, content: '', finishReason: result.finishReason }],
            modelUsage: usage(name, modelName, result),
          });
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
    });
  };

  return defineProvider({
    name,
    model: modelName,
    ...(options.embedModel === undefined ? {} : { embedModel: modelLabel(options.embedModel) }),
    capabilities: {
      runtime: 'onnx',
      device:
        options.device ?? (info.device === 'cuda' ? 'cuda' : info.device === 'coreml' ? 'coreml' : 'cpu'),
      streaming: true,
      structuredOutput: typed,
      tools: false,
      embeddings: options.embedModel !== undefined,
      contextWindow: info.contextLength ?? 2048,
      maxConcurrency: options.maxConcurrency ?? options.engine.concurrency(),
      local: true,
    },
    // With typed decoding, Ax sends the output JSON Schema with every request (also for scalar-only
    // signatures) and parses JSON; the engine makes the output follow that schema.
    ...(typed ? { features: { structuredOutputModes: ['native'], requiresStructuredOutput: true } } : {}),
    chat,
    ...(options.embedModel === undefined
      ? {}
      : {
          embed: async (req, callOptions) => {
            const embedModel = options.embedModel as string;
            const signal = callOptions?.abortSignal;
            const embeddings = await options.engine.embed({
              model: embedModel,
              texts: req.texts ?? [],
              ...(signal === undefined ? {} : { signal }),
            });
            return { embeddings, modelUsage: { ai: name, model: modelLabel(embedModel) } };
          },
        }),
    health: async (signal) => {
      const started = performance.now();
      try {
        await options.engine.load(options.model, {
          task: 'text-generation',
          ...(signal === undefined ? {} : { signal }),
        });
        return { ok: true, latencyMs: performance.now() - started };
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    },
  });
}

/** The JSON Schema a request asks the output to follow: its schema, or any JSON object for `json_object`. */
function schemaOf(format: AxChatRequest['responseFormat']): Readonly<Record<string, unknown>> | undefined {
  if (format === undefined) return undefined;
  if (format.type === 'json_schema' && typeof format.schema === 'object' && format.schema !== null) {
    const wrapped = format.schema as { schema?: unknown };
    // Ax sends either the schema itself or OpenAI's { name, schema, strict } envelope.
    const schema =
      typeof wrapped.schema === 'object' && wrapped.schema !== null ? wrapped.schema : format.schema;
    return schema as Readonly<Record<string, unknown>>;
  }
  return { type: 'object' };
}

function usage(
  ai: string,
  model: string,
  result: OnnxGenerateResult,
): NonNullable<AxChatResponse['modelUsage']> {
  const { promptTokens, completionTokens } = result.usage;
  return {
    ai,
    model,
    tokens: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
  };
}

/** A short model name for traces: the folder name for local paths, the id otherwise. */
function modelLabel(ref: string): string {
  return ref.startsWith('/') || ref.startsWith('.') ? basename(ref) : ref;
}
