import type { AxChatRequest } from '@ax-llm/ax';
import type { Message, ToolCall } from 'ollama';
import { SignetError } from '../../errors/signet-error.ts';

type AxMessage = AxChatRequest['chatPrompt'][number];
type AxUserPart = Exclude<Extract<AxMessage, { role: 'user' }>['content'], string>[number];

/**
 * Converts Ax's chat prompt to Ollama messages. Images travel as base64 in `images`; audio, files and
 * URLs become their text fallback (transcription, extracted text, fetched content) since Ollama takes
 * none of them. Tool results become `tool` messages named after the call they answer.
 */
export function convertToOllamaMessages(chatPrompt: AxChatRequest['chatPrompt']): Message[] {
  const toolNames = new Map<string, string>();
  return chatPrompt.map((message) => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return convertUser(message.content);
      case 'assistant': {
        const calls = message.functionCalls ?? [];
        for (const call of calls) toolNames.set(call.id, call.function.name);
        return {
          role: 'assistant',
          content: message.content ?? '',
          ...(message.thought === undefined ? {} : { thinking: message.thought }),
          ...(calls.length === 0
            ? {}
            : {
                tool_calls: calls.map(
                  (call): ToolCall => ({
                    function: { name: call.function.name, arguments: toolArguments(call.function.params) },
                  }),
                ),
              }),
        };
      }
      case 'function': {
        const name = toolNames.get(message.functionId);
        return { role: 'tool', content: message.result, ...(name === undefined ? {} : { tool_name: name }) };
      }
    }
    return unsupported(`a chat message with role "${(message as { role: string }).role}"`);
  });
}

function convertUser(content: string | readonly AxUserPart[]): Message {
  if (typeof content === 'string') return { role: 'user', content };
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of content) {
    switch (part.type) {
      case 'text':
        texts.push(part.text);
        break;
      case 'image':
        images.push(part.image);
        break;
      case 'audio':
        texts.push(part.transcription ?? unsupported('audio input without a transcription'));
        break;
      case 'file':
        texts.push(
          part.extractedText ?? unsupported(`the file ${part.filename ?? ''} without extracted text`),
        );
        break;
      case 'url':
        texts.push(part.cachedContent ?? unsupported(`the URL ${part.url} without fetched content`));
        break;
    }
  }
  return { role: 'user', content: texts.join('\n'), ...(images.length === 0 ? {} : { images }) };
}

/** Ollama wants tool arguments as an object; Ax may hold them as a JSON string. */
function toolArguments(params: string | object | undefined): Record<string, unknown> {
  if (params === undefined || params === '') return {};
  if (typeof params !== 'string') return params as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(params);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through: keep the raw text so the model sees what it produced
  }
  return { input: params };
}

function unsupported(what: string): never {
  throw new SignetError(
    'SIGNET_PROVIDER_REJECTED',
    `ollama: cannot send ${what}; Ollama accepts text and images only, so provide a text fallback or use another provider`,
    { details: { provider: 'ollama' } },
  );
}
