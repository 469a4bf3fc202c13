import type { AxChatRequest } from '@ax-llm/ax';
import { recordOf } from './wire-fields.ts';

/**
 * How structured-output requests reach Ollama's `format` parameter (constrained decoding):
 * - `schema`: the output JSON Schema is passed as `format`, so the model can only produce matching JSON;
 * - `json`: `format: "json"`, so output is valid JSON, its shape guided by the prompt only;
 * - `off`: no `format`; the prompt alone asks for JSON.
 */
export type OllamaStructuredOutput = 'schema' | 'json' | 'off';

/**
 * The `format` for a chat call. Ax sends `responseFormat` only when a program asks for structured
 * output (complex output fields, or `structuredOutputMode` on `forward`): `json_schema` carries
 * `{ name, strict, schema }`, `json_object` asks for any JSON.
 */
export function toOllamaFormat(
  responseFormat: AxChatRequest['responseFormat'],
  mode: OllamaStructuredOutput,
): string | Record<string, unknown> | undefined {
  if (responseFormat === undefined || mode === 'off') return undefined;
  if (responseFormat.type === 'json_object' || mode === 'json') return 'json';
  const wrapper = recordOf(responseFormat.schema);
  const schema = recordOf(wrapper?.schema) ?? wrapper;
  return schema === undefined ? 'json' : schema;
}

/** Ax's structured-output strategies a provider in this mode can serve, best first. */
export function structuredOutputModes(mode: OllamaStructuredOutput): ('native' | 'json_object')[] {
  return mode === 'schema' ? ['native', 'json_object'] : ['json_object'];
}
