import { describe, expect, it } from 'vitest';
import { parseRetryAfter, providerError } from '../../../src/providers/shared/provider-error.ts';

describe('providerError', () => {
  it.each([
    [{ status: 401, message: 'bad key' }, 'SIGNET_PROVIDER_AUTH', false],
    [{ status: 429, message: 'Rate limit reached' }, 'SIGNET_PROVIDER_RATE_LIMITED', true],
    [
      { status: 429, message: 'You exceeded your current quota', upstreamCode: 'insufficient_quota' },
      'SIGNET_PROVIDER_QUOTA',
      false,
    ],
    [
      {
        status: 429,
        message: 'You exceeded your current quota, please retry in 20s',
        upstreamCode: 'RESOURCE_EXHAUSTED',
      },
      'SIGNET_PROVIDER_RATE_LIMITED',
      true,
    ],
    [
      {
        status: 400,
        message: "This model's maximum context length is 8192 tokens",
        upstreamCode: 'context_length_exceeded',
      },
      'SIGNET_CONTEXT_TOO_LONG',
      false,
    ],
    [{ status: 400, message: 'temperature must be <= 2' }, 'SIGNET_PROVIDER_REJECTED', false],
    [{ status: 503, message: 'overloaded' }, 'SIGNET_PROVIDER_ERROR', true],
    [{ status: 529, message: 'Overloaded' }, 'SIGNET_PROVIDER_ERROR', true],
    [{ status: 504, message: 'gateway timeout' }, 'SIGNET_PROVIDER_TIMEOUT', true],
    [{ message: 'connect ECONNREFUSED' }, 'SIGNET_PROVIDER_UNAVAILABLE', true],
  ])('classifies %j as %s', (failure, code, retryable) => {
    const error = providerError({ provider: 'openai', ...failure });
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.details).toMatchObject({ provider: 'openai' });
  });

  it('carries Retry-After in ms and says how to fix auth errors', () => {
    const error = providerError({ provider: 'openai', status: 429, message: 'slow down', retryAfter: '2' });
    expect(error.details).toMatchObject({ retryAfterMs: 2000, upstreamStatus: 429 });
    expect(providerError({ provider: 'openai', status: 401, message: 'no' }).message).toContain(
      'OPENAI_API_KEY',
    );
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
