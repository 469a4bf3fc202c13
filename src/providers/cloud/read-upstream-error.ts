/** The parts of an upstream error body that classify it. */
export interface UpstreamErrorBody {
  /** Human-readable message from the API. */
  readonly message?: string;
  /** Machine-readable code: OpenAI `code` (else `type`), Anthropic `error.type`, Gemini `reason` (else `status`). */
  readonly code?: string;
}

const MAX_TEXT = 500;

/**
 * Reads an error body in any of the dialects signet's cloud kinds speak:
 * OpenAI and compatible servers `{ error: { message, type, code } }` (vLLM: top-level `message`, `type`),
 * Anthropic `{ type: 'error', error: { type, message } }`, Gemini `{ error: { code, message, status,
 * details: [{ reason }] } }`, the Hugging Face router `{ error: '...' }`, or plain text.
 */
export function readUpstreamError(body: unknown): UpstreamErrorBody {
  if (typeof body === 'string') {
    const parsed = tryJson(body);
    if (parsed !== undefined) return readUpstreamError(parsed);
    const text = body.trim();
    return text === '' ? {} : { message: text.slice(0, MAX_TEXT) };
  }
  if (!isRecord(body)) return {};
  const error = body.error;
  if (typeof error === 'string') return { message: error.slice(0, MAX_TEXT) };
  const source = isRecord(error) ? error : body;
  const message = text(source.message) ?? text(source.detail);
  const code = text(source.code) ?? reasonOf(source.details) ?? text(source.status) ?? text(source.type);
  return { ...(message === undefined ? {} : { message }), ...(code === undefined ? {} : { code }) };
}

/** Gemini puts the machine-readable reason in `details[].reason` (e.g. `API_KEY_INVALID`). */
function reasonOf(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (isRecord(detail) && typeof detail.reason === 'string') return detail.reason;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, MAX_TEXT) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
