import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/errors/error-catalog.ts';
import { OutputParseError } from '../../src/errors/output-parse-error.ts';
import { SignetError } from '../../src/errors/signet-error.ts';
import { classifyFailure, countsAgainstDeployment, reasonOf } from '../../src/router/index.ts';
import { breakerOpenError, bulkheadFullError } from '../../src/router/to-router-failure.ts';
import { failure } from '../helpers/router-fakes.ts';

describe('classifyFailure', () => {
  it.each<[ErrorCode, 'retry' | 'failover' | 'terminal']>([
    ['SIGNET_PROVIDER_ERROR', 'retry'],
    ['SIGNET_PROVIDER_TIMEOUT', 'retry'],
    ['SIGNET_PROVIDER_RATE_LIMITED', 'retry'],
    ['SIGNET_PROVIDER_UNAVAILABLE', 'retry'],
    ['SIGNET_PROVIDER_AUTH', 'failover'],
    ['SIGNET_PROVIDER_QUOTA', 'failover'],
    ['SIGNET_MODEL_NOT_FOUND', 'failover'],
    ['SIGNET_PROVIDER_REJECTED', 'terminal'],
    ['SIGNET_ABORTED', 'terminal'],
    ['SIGNET_INPUT_INVALID', 'terminal'],
  ])('decides %s -> %s', (code, decision) => {
    expect(classifyFailure(failure(code))).toBe(decision);
  });

  it('counts errors that are not signet errors as SIGNET_PROVIDER_ERROR (retry)', () => {
    expect(classifyFailure(new Error('socket hang up'))).toBe('retry');
    expect(reasonOf(new Error('socket hang up'))).toBe('provider-error');
    expect(countsAgainstDeployment(new Error('socket hang up'))).toBe(true);
  });

  it('fails over instead of retrying into an open breaker or a full queue', () => {
    expect(classifyFailure(breakerOpenError('a'))).toBe('failover');
    expect(classifyFailure(bulkheadFullError('a'))).toBe('failover');
    expect(reasonOf(breakerOpenError('a'))).toBe('breaker-open');
    expect(countsAgainstDeployment(bulkheadFullError('a'))).toBe(false);
  });

  it('fails over when Retry-After is longer than the policy waits', () => {
    const limited = failure('SIGNET_PROVIDER_RATE_LIMITED', { retryAfterMs: 60_000 });
    expect(classifyFailure(limited, { maxRetryAfterMs: 20_000 })).toBe('failover');
    expect(classifyFailure(limited, { maxRetryAfterMs: 60_000 })).toBe('retry');
  });

  it('fails over a prompt that is too long only to a larger context window', () => {
    const tooLong = failure('SIGNET_CONTEXT_TOO_LONG');
    expect(classifyFailure(tooLong, { contextWindow: 4096, largestRemainingContextWindow: 32_768 })).toBe(
      'failover',
    );
    expect(classifyFailure(tooLong, { contextWindow: 4096, largestRemainingContextWindow: 4096 })).toBe(
      'terminal',
    );
    expect(classifyFailure(tooLong)).toBe('terminal');
  });

  it('names invalid output and does not count it against the deployment', () => {
    const invalid = new OutputParseError('bad', { rawText: 'x', attempts: 3, issues: [] });
    expect(reasonOf(invalid)).toBe('output-invalid');
    expect(countsAgainstDeployment(invalid)).toBe(false);
    expect(countsAgainstDeployment(new SignetError('SIGNET_PROVIDER_REJECTED', 'bad request'))).toBe(false);
  });
});
