import type { AxChatRequest, AxModelConfig } from '@ax-llm/ax';
import { SignetError } from '../../src/index.ts';
import type { ChatCompletionBody, ChatMessage } from './openai-chat-schemas.ts';

type AxMessage = AxChatRequest['chatPrompt'][number];

/**
 * Translates an OpenAI chat request into an Ax chat request: system and developer messages become the
 * system prompt (leading ones merged into one), user and assistant turns keep their roles, and sampling
 * settings go to `modelConfig`. Tools, tool messages and non-text content are refused with a 400.
 */
export function toAxChatRequest(body: ChatCompletionBody, model: string, stream: boolean): AxChatRequest {
  if ((body.tools?.length ?? 0) > 0 || (body.functions?.length ?? 0) > 0) {
    throw unsupported(
      body.tools !== undefined ? 'tools' : 'functions',
      'tool calling is not supported on /v1/chat/completions; use POST /api/v1/dspy/execute instead',
    );
  }
  const chatPrompt: AxMessage[] = [];
  body.messages.forEach((message, index) => {
    const content = textOf(message, index);
    if (message.role === 'system' || message.role === 'developer') {
      const previous = chatPrompt.at(-1);
      if (previous?.role === 'system' && chatPrompt.length === 1) {
        chatPrompt[0] = { role: 'system', content: `${previous.content}\n\n${content}` };
      } else chatPrompt.push({ role: 'system', content });
    } else if (message.role === 'user') {
      chatPrompt.push({
        role: 'user',
        content,
        ...(message.name === undefined ? {} : { name: message.name }),
      });
    } else if (message.role === 'assistant') {
      chatPrompt.push({
        role: 'assistant',
        content,
        ...(message.name === undefined ? {} : { name: message.name }),
      });
    } else {
      throw unsupported(
        `messages.${index}.role`,
        `"${message.role}" messages are not supported (no tool calling)`,
      );
    }
  });
  const modelConfig: AxModelConfig = { stream };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof body.temperature === 'number') modelConfig.temperature = body.temperature;
  if (typeof maxTokens === 'number') modelConfig.maxTokens = maxTokens;
  if (typeof body.top_p === 'number') modelConfig.topP = body.top_p;
  if (typeof body.presence_penalty === 'number') modelConfig.presencePenalty = body.presence_penalty;
  if (typeof body.frequency_penalty === 'number') modelConfig.frequencyPenalty = body.frequency_penalty;
  if (body.stop !== undefined && body.stop !== null) {
    modelConfig.stopSequences = typeof body.stop === 'string' ? [body.stop] : body.stop;
  }
  const format = body.response_format;
  return {
    chatPrompt,
    model,
    modelConfig,
    ...(format?.type === 'json_object' ? { responseFormat: { type: 'json_object' as const } } : {}),
    ...(format?.type === 'json_schema'
      ? { responseFormat: { type: 'json_schema' as const, schema: format.json_schema?.schema } }
      : {}),
  };
}

function textOf(message: ChatMessage, index: number): string {
  const content = message.content;
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, partIndex) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw unsupported(
          `messages.${index}.content.${partIndex}`,
          `content parts of type "${part.type}" are not supported; send text`,
        );
      }
      return part.text;
    })
    .join('');
}

function unsupported(param: string, message: string): SignetError {
  const path = param.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return new SignetError('SIGNET_REQUEST_INVALID', message, {
    issues: [{ path, code: 'unsupported', message }],
  });
}
