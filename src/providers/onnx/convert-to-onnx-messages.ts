import type { AxChatRequest } from '@ax-llm/ax';
import type { OnnxChatMessage } from './onnx-generate-request.ts';

/**
 * Ax chat prompt -> chat turns for the model's own chat template. Text parts are joined; tool results
 * become user turns (small local models rarely have a tool role in their template).
 */
export function convertToOnnxMessages(prompt: AxChatRequest['chatPrompt']): OnnxChatMessage[] {
  return prompt.map((message) => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: textOf(message.content) };
      case 'assistant':
        return { role: 'assistant', content: message.content ?? '' };
      case 'function':
        return { role: 'user', content: `Result of ${message.functionId}: ${message.result}` };
      default:
        return { role: 'user', content: '' };
    }
  });
}

function textOf(content: Extract<AxChatRequest['chatPrompt'][number], { role: 'user' }>['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
