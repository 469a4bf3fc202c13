import { describe, expect, it } from 'vitest';
import { readBulkheadEnv } from '../../src/runtime/read-bulkhead-env.ts';

describe('readBulkheadEnv', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(readBulkheadEnv({}, 'CLOUD')).toBeUndefined();
  });

  it('reads the limits of one group', () => {
    expect(
      readBulkheadEnv({ SIGNET_CLOUD_MAX_CONCURRENT: '200', SIGNET_CLOUD_MAX_QUEUED: '0' }, 'CLOUD'),
    ).toEqual({
      bulkhead: { maxConcurrent: 200, maxQueued: 0 },
    });
    expect(readBulkheadEnv({ SIGNET_CLOUD_MAX_CONCURRENT: '200' }, 'OLLAMA')).toBeUndefined();
  });

  it('names the variable and the fix when a value is not a whole number', () => {
    expect(() => readBulkheadEnv({ SIGNET_OLLAMA_MAX_CONCURRENT: '0' }, 'OLLAMA')).toThrow(
      /SIGNET_OLLAMA_MAX_CONCURRENT must be a whole number of at least 1 \(got "0"\)/,
    );
    expect(() => readBulkheadEnv({ SIGNET_CLOUD_MAX_QUEUED: 'lots' }, 'CLOUD')).toThrow(/unset it/);
  });
});
