import type { ErrorCode } from '../../errors/error-catalog.ts';
import { SignetError } from '../../errors/signet-error.ts';

/** What a provider knows about a failed upstream call. */
export interface UpstreamFailure {
  /** Provider name (`openai`, `ollama`...). */
  readonly provider: string;
  /** HTTP status, when the upstream answered. */
  readonly status?: number | undefined;
  /** Upstream error message (never the prompt). */
  readonly message: string;
  /** `Retry-After` header value, in seconds or an HTTP date. */
  readonly retryAfter?: string | null | undefined;
  /** The upstream error code or type, e.g. `insufficient_quota`, `context_length_exceeded`. */
  readonly upstreamCode?: string | undefined;
  /** True when the upstream answered, but with a body that cannot be read (not JSON, cut short). */
  readonly malformed?: boolean | undefined;
  /** The original error. */
  readonly cause?: unknown;
}

/**
 * Decides, in one place, what an upstream failure means: its signet code (and so its HTTP status and
 * whether a retry may help) plus `retryAfterMs`. The router reads the code to retry, fail over or stop.
 */
export function providerError(failure: UpstreamFailure): SignetError {
  const code = classify(failure);
  const retryAfterMs = parseRetryAfter(failure.retryAfter);
  return new SignetError(code, `${failure.provider}: ${failure.message}${hint(code, failure.provider)}`, {
    cause: failure.cause,
    details: {
      provider: failure.provider,
      ...(failure.status === undefined ? {} : { upstreamStatus: failure.status }),
      ...(failure.upstreamCode === undefined ? {} : { upstreamCode: failure.upstreamCode }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  });
}

function classify({ status, upstreamCode, message, malformed }: UpstreamFailure): ErrorCode {
  if (malformed === true) return 'SIGNET_PROVIDER_ERROR';
  const text = `${upstreamCode ?? ''} ${message}`.toLowerCase();
  if (/context.?length|too many tokens|maximum context|prompt is too long/.test(text))
    return 'SIGNET_CONTEXT_TOO_LONG';
  if (status === undefined)
    return /timed? ?out|timeout/.test(text) ? 'SIGNET_PROVIDER_TIMEOUT' : 'SIGNET_PROVIDER_UNAVAILABLE';
  if (status === 401 || status === 403) return 'SIGNET_PROVIDER_AUTH';
  // Only account-level exhaustion is a quota error; Gemini's per-minute 429 also says "quota" but is a rate limit.
  if (status === 429) {
    return /insufficient_quota|billing|credit balance/.test(text)
      ? 'SIGNET_PROVIDER_QUOTA'
      : 'SIGNET_PROVIDER_RATE_LIMITED';
  }
  if (status === 404) return 'SIGNET_MODEL_NOT_FOUND';
  if (status === 408 || status === 504) return 'SIGNET_PROVIDER_TIMEOUT';
  if (status === 409 || status >= 500) return 'SIGNET_PROVIDER_ERROR';
  return 'SIGNET_PROVIDER_REJECTED';
}

function hint(code: ErrorCode, provider: string): string {
  switch (code) {
    case 'SIGNET_PROVIDER_AUTH':
      return ` (check the API key for ${provider}, e.g. OPENAI_API_KEY, and its permissions)`;
    case 'SIGNET_PROVIDER_QUOTA':
      return ` (the ${provider} account is out of quota; add credit or configure a fallback)`;
    default:
      return '';
  }
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
