import {
  AxAIServiceAbortedError,
  AxAIServiceAuthenticationError,
  AxAIServiceError,
  AxAIServiceNetworkError,
  AxAIServiceStatusError,
  AxAIServiceStreamTerminatedError,
  AxAIServiceTimeoutError,
} from '@ax-llm/ax';
import { SignetError } from '../../errors/signet-error.ts';
import { providerError, type UpstreamFailure } from '../shared/provider-error.ts';
import type { CloudProviderKind } from './cloud-kind-specs.ts';
import { readUpstreamError } from './read-upstream-error.ts';
import { redactSecrets } from './redact-secrets.ts';
import type { CallRecord } from './response-capture.ts';

/** What the translation knows about the call that failed. */
export interface CloudErrorContext {
  /** The kind of API called. */
  readonly provider: CloudProviderKind;
  /** Status and `Retry-After` of the last upstream response of the call. */
  readonly record: CallRecord;
  /** Secrets to scrub from messages (the key). */
  readonly secrets: readonly string[];
  /** Where the key came from (`OPENAI_API_KEY`, `apiKey option`), named in credential errors. */
  readonly keySource: string | undefined;
  /** True for errors raised while reading a response stream: every such error is an upstream failure. */
  readonly midStream?: boolean;
}

/**
 * The one place where an Ax service failure becomes a signet error. Upstream HTTP failures, timeouts and
 * network errors go through `providerError()` (which decides the code); caller aborts become
 * SIGNET_ABORTED. Other errors (a request Ax refuses to build, a bug) are returned unchanged.
 */
export function translateCloudError(error: unknown, context: CloudErrorContext): unknown {
  if (SignetError.is(error)) return error;
  const { provider } = context;
  if (error instanceof AxAIServiceAbortedError || (error instanceof Error && error.name === 'AbortError')) {
    return new SignetError('SIGNET_ABORTED', `${provider}: the request was aborted by its caller`, {
      cause: error,
    });
  }
  const failure = describe(error, context);
  if (failure === undefined) return error;
  return providerError({ ...failure, message: redactSecrets(failure.message, context.secrets) });
}

function describe(error: unknown, context: CloudErrorContext): UpstreamFailure | undefined {
  const { provider, record } = context;
  if (error instanceof AxAIServiceTimeoutError) {
    return { provider, message: 'the request timed out', cause: error };
  }
  if (error instanceof AxAIServiceNetworkError && error.originalError instanceof SyntaxError) {
    // Ax reports a body it cannot parse as a network error; the API was reached and answered badly.
    return {
      provider,
      message: `the API answered with a body that is not valid JSON (${error.originalError.message})`,
      malformed: true,
      cause: error,
    };
  }
  if (error instanceof AxAIServiceNetworkError) {
    return { provider, message: `cannot reach the API: ${networkReason(error.originalError)}`, cause: error };
  }
  if (error instanceof AxAIServiceStreamTerminatedError) {
    return { provider, message: 'the response stream ended before it was complete', cause: error };
  }
  if (error instanceof AxAIServiceStatusError || error instanceof AxAIServiceAuthenticationError) {
    // Ax's authentication error carries no status; the captured response has it (401 or 403).
    const status = error instanceof AxAIServiceStatusError ? error.status : (record.status ?? 401);
    const statusText = error instanceof AxAIServiceStatusError ? error.statusText : 'authentication failed';
    return httpFailure(status, upstreamBody(error), statusText, error, context);
  }
  if (error instanceof AxAIServiceError || (context.midStream === true && error instanceof Error)) {
    const body = readUpstreamError(error instanceof AxAIServiceError ? upstreamBody(error) : undefined);
    return {
      provider,
      message: body.message ?? error.message,
      ...(body.code === undefined ? {} : { upstreamCode: body.code }),
      cause: error,
    };
  }
  return undefined;
}

/** A failed HTTP response (status and body as received) as a signet error; used by calls and health checks. */
export function upstreamHttpError(
  status: number,
  statusText: string,
  responseBody: unknown,
  context: CloudErrorContext,
): SignetError {
  const failure = httpFailure(status, responseBody, statusText, undefined, context);
  return providerError({ ...failure, message: redactSecrets(failure.message, context.secrets) });
}

function httpFailure(
  status: number,
  responseBody: unknown,
  statusText: string,
  cause: Error | undefined,
  context: CloudErrorContext,
): UpstreamFailure {
  const body = readUpstreamError(responseBody);
  const upstreamCode = normalizeCode(body.code, body.message);
  // Gemini answers an invalid key with 400 INVALID_ARGUMENT; it is a credential failure all the same.
  const effectiveStatus = upstreamCode === 'API_KEY_INVALID' ? 401 : status;
  const credentials =
    (effectiveStatus === 401 || effectiveStatus === 403) && context.keySource !== undefined
      ? ` (key from ${context.keySource})`
      : '';
  return {
    provider: context.provider,
    status: effectiveStatus,
    message: `HTTP ${status}: ${body.message ?? (statusText || 'no error message')}${credentials}`,
    retryAfter: context.record.status === status ? context.record.retryAfter : undefined,
    ...(upstreamCode === undefined ? {} : { upstreamCode }),
    cause,
  };
}

/**
 * The body the API sent. Ax's status error nests it: `responseBody` is `{ httpStatus, httpStatusText,
 * responseBody, metrics }`; its other errors hold the body itself.
 */
function upstreamBody(error: AxAIServiceError): unknown {
  const body: unknown = error.responseBody;
  if (
    error instanceof AxAIServiceStatusError &&
    typeof body === 'object' &&
    body !== null &&
    'httpStatus' in body
  ) {
    return 'responseBody' in body ? body.responseBody : undefined;
  }
  return body;
}

/** Gemini reports an over-long prompt only in prose; give it the code the other APIs use. */
function normalizeCode(code: string | undefined, message: string | undefined): string | undefined {
  if (message !== undefined && /input token count .* exceeds the maximum/i.test(message)) {
    return 'context_length_exceeded';
  }
  return code;
}

/** `fetch failed (ECONNREFUSED)`: undici hides the socket error code, or the reason, in `cause`. */
export function networkReason(error: Error): string {
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null) return error.message;
  if ('code' in cause && typeof cause.code === 'string') return `${error.message} (${cause.code})`;
  return cause instanceof Error && cause.message !== ''
    ? `${error.message} (${cause.message})`
    : error.message;
}
