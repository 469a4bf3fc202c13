import type { AxAIServiceOptions, AxChatRequest, AxModelConfig } from '@ax-llm/ax';
import type { ChatRequest, Options, Tool } from 'ollama';
import { convertToOllamaMessages } from './convert-to-ollama-messages.ts';
import { type OllamaStructuredOutput, toOllamaFormat } from './ollama-format.ts';

/** Provider settings that shape every chat request. */
export interface OllamaChatSettings {
  /** Model to run. */
  readonly model: string;
  /** `keep_alive` sent with the request (Ollama's default is 5m). */
  readonly keepAlive?: string | number | undefined;
  /** Context window to run the model with (`options.num_ctx`). */
  readonly numCtx?: number | undefined;
  /** Raw Ollama options; per-call model config wins over them. */
  readonly options?: Readonly<Partial<Options>> | undefined;
  /** How a requested output schema reaches `format`. */
  readonly structuredOutput: OllamaStructuredOutput;
}

/** Builds the `/api/chat` body for an Ax chat request. */
export function createOllamaChatRequest(
  req: Readonly<AxChatRequest<unknown>>,
  settings: OllamaChatSettings,
  callOptions: Readonly<AxAIServiceOptions> | undefined,
): ChatRequest {
  const tools = req.functionCall === 'none' ? [] : (req.functions ?? []).map(toOllamaTool);
  const format = toOllamaFormat(req.responseFormat, settings.structuredOutput);
  const think = toThink(callOptions?.thinkingTokenBudget);
  const options: Partial<Options> = {
    ...settings.options,
    ...(settings.numCtx === undefined ? {} : { num_ctx: settings.numCtx }),
    ...toOllamaOptions(req.modelConfig),
  };
  return {
    model: settings.model,
    messages: convertToOllamaMessages(req.chatPrompt),
    ...(tools.length === 0 ? {} : { tools }),
    ...(format === undefined ? {} : { format }),
    ...(think === undefined ? {} : { think }),
    ...(settings.keepAlive === undefined ? {} : { keep_alive: settings.keepAlive }),
    ...(Object.keys(options).length === 0 ? {} : { options }),
  };
}

function toOllamaTool(fn: NonNullable<AxChatRequest['functions']>[number]): Tool {
  return {
    type: 'function',
    function: {
      name: fn.name,
      description: fn.description,
      ...(fn.parameters === undefined
        ? {}
        : { parameters: fn.parameters as NonNullable<Tool['function']['parameters']> }),
    },
  };
}

/** Ax's sampling settings under Ollama's option names; settings Ollama lacks (`n`) are left out. */
function toOllamaOptions(config: Readonly<AxModelConfig> | undefined): Partial<Options> {
  if (config === undefined) return {};
  const options: Partial<Options> = {};
  if (config.maxTokens !== undefined) options.num_predict = config.maxTokens;
  if (config.temperature !== undefined) options.temperature = config.temperature;
  if (config.topP !== undefined) options.top_p = config.topP;
  if (config.topK !== undefined) options.top_k = config.topK;
  if (config.presencePenalty !== undefined) options.presence_penalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) options.frequency_penalty = config.frequencyPenalty;
  if (config.stopSequences !== undefined && config.stopSequences.length > 0)
    options.stop = [...config.stopSequences];
  return options;
}

/** Ollama's `think` is on/off for most models; Ax's budget levels collapse onto it. */
function toThink(budget: AxAIServiceOptions['thinkingTokenBudget']): boolean | undefined {
  if (budget === undefined) return undefined;
  return budget !== 'none';
}
