import { SignetError } from '../../errors/signet-error.ts';
import { providerError } from '../shared/provider-error.ts';

/** What is known about the call that failed. */
export interface OllamaErrorContext {
  /** Server address, for messages about reaching it. */
  readonly host: string;
  /** Model the call asked for, for the `ollama pull` hint. */
  readonly model?: string | undefined;
  /** The call's signal: when aborted, its reason decides the code. */
  readonly signal?: AbortSignal | undefined;
}

const PROVIDER = 'ollama';
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Turns whatever an Ollama call threw into a signet error: aborts and timeouts by the caller, HTTP
 * errors (`{"error": "..."}` with a status), connection failures, and errors Ollama reports in-band
 * after it already answered 200 (in an NDJSON stream). Classification by status goes through the
 * shared `providerError`.
 */
export function ollamaError(error: unknown, context: OllamaErrorContext): SignetError {
  if (SignetError.is(error)) return error;
  if (context.signal?.aborted) return abortError(context.signal.reason, error, context);
  if (isNamed(error, 'AbortError') || isNamed(error, 'TimeoutError'))
    return abortError(error, error, context);

  const status = responseStatus(error);
  const message = messageOf(error);
  if (status !== undefined) {
    const hint =
      status === 404 && context.model !== undefined ? `; run \`ollama pull ${context.model}\`` : '';
    return providerError({ provider: PROVIDER, status, message: `${message}${hint}`, cause: error });
  }

  const network = networkCode(error);
  if (network !== undefined) {
    const problem = TIMEOUT_CODES.has(network) ? 'timed out connecting to' : 'cannot reach';
    return providerError({
      provider: PROVIDER,
      message: `${problem} Ollama at ${context.host} (${network}); start Ollama with \`ollama serve\` or set OLLAMA_HOST`,
      upstreamCode: network,
      cause: error,
    });
  }

  // Ollama answered but then failed: an in-band `{"error": ...}` line, a stream cut before `done`, or a
  // body that is not JSON. Keep the context-length detection of the shared classifier, but the server
  // was reachable, so this is a provider error, not "unavailable".
  const classified = providerError({ provider: PROVIDER, message, cause: error });
  if (classified.code !== 'SIGNET_PROVIDER_UNAVAILABLE' && classified.code !== 'SIGNET_PROVIDER_TIMEOUT') {
    return classified;
  }
  return new SignetError('SIGNET_PROVIDER_ERROR', classified.message, {
    cause: error,
    ...(classified.details === undefined ? {} : { details: classified.details }),
  });
}

function abortError(reason: unknown, cause: unknown, context: OllamaErrorContext): SignetError {
  if (SignetError.is(reason)) return reason;
  if (isNamed(reason, 'TimeoutError')) {
    return new SignetError(
      'SIGNET_PROVIDER_TIMEOUT',
      `${PROVIDER}: no answer from ${context.host} before the caller's deadline; raise the timeout or use a smaller model`,
      { cause, details: { provider: PROVIDER } },
    );
  }
  return new SignetError('SIGNET_ABORTED', `${PROVIDER}: the request was aborted by its caller`, {
    cause,
    details: { provider: PROVIDER },
  });
}

/** The status of the client's `ResponseError` (it is not exported, so it is recognized by shape). */
function responseStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'ResponseError') return undefined;
  const status: unknown = (error as Error & { status_code?: unknown }).status_code;
  return typeof status === 'number' ? status : undefined;
}

/** A Node/undici network error code (`ECONNREFUSED`...) anywhere in the cause chain. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code: unknown = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    // AggregateError (e.g. IPv4 and IPv6 both refused) carries the codes on its members.
    if (current instanceof AggregateError) {
      const inner = current.errors.map(networkCode).find((c) => c !== undefined);
      if (inner !== undefined) return inner;
    }
    current = current.cause;
  }
  return undefined;
}

function isNamed(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
