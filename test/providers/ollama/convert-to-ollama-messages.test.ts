import { describe, expect, it } from 'vitest';
import { convertToOllamaMessages } from '../../../src/providers/ollama/convert-to-ollama-messages.ts';
import { mapOllamaFinishReason } from '../../../src/providers/ollama/map-ollama-finish-reason.ts';

describe('convertToOllamaMessages', () => {
  it('sends images as base64 beside the text of a multi-part user message', () => {
    const messages = convertToOllamaMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', mimeType: 'image/png', image: 'iVBORw0KGgo=' },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'What is in this picture?', images: ['iVBORw0KGgo='] },
    ]);
  });

  it('uses the text fallback of audio, files and URLs', () => {
    const messages = convertToOllamaMessages([
      {
        role: 'user',
        content: [
          { type: 'audio', data: 'UklGRg==', transcription: 'hello there' },
          { type: 'file', data: 'JVBERi0=', mimeType: 'application/pdf', extractedText: 'page one' },
          { type: 'url', url: 'https://example.com', cachedContent: 'Example Domain' },
        ],
      },
    ]);
    expect(messages[0]?.content).toBe('hello there\npage one\nExample Domain');
  });

  it('keeps assistant thinking and tool calls with their arguments as objects', () => {
    const messages = convertToOllamaMessages([
      {
        role: 'assistant',
        content: 'Let me check.',
        thought: 'The user wants the weather.',
        functionCalls: [
          { id: 'a', type: 'function', function: { name: 'get_weather', params: { city: 'Oslo' } } },
          { id: 'b', type: 'function', function: { name: 'get_time', params: '' } },
          { id: 'c', type: 'function', function: { name: 'echo', params: 'not json' } },
        ],
      },
      { role: 'function', functionId: 'b', result: '12:00' },
      { role: 'function', functionId: 'unknown', result: 'orphan' },
    ]);
    expect(messages).toEqual([
      {
        role: 'assistant',
        content: 'Let me check.',
        thinking: 'The user wants the weather.',
        tool_calls: [
          { function: { name: 'get_weather', arguments: { city: 'Oslo' } } },
          { function: { name: 'get_time', arguments: {} } },
          { function: { name: 'echo', arguments: { input: 'not json' } } },
        ],
      },
      { role: 'tool', content: '12:00', tool_name: 'get_time' },
      { role: 'tool', content: 'orphan' },
    ]);
  });

  it('rejects a URL Ollama would have to fetch itself', () => {
    expect(() =>
      convertToOllamaMessages([{ role: 'user', content: [{ type: 'url', url: 'https://example.com' }] }]),
    ).toThrow(expect.objectContaining({ code: 'SIGNET_PROVIDER_REJECTED' }));
  });
});

describe('mapOllamaFinishReason', () => {
  it('maps done reasons, with tool calls taking precedence', () => {
    expect(mapOllamaFinishReason('stop', false)).toBe('stop');
    expect(mapOllamaFinishReason('length', false)).toBe('length');
    expect(mapOllamaFinishReason('stop', true)).toBe('function_call');
    expect(mapOllamaFinishReason('load', false)).toBe('stop');
    expect(mapOllamaFinishReason(undefined, false)).toBe('stop');
  });
});
