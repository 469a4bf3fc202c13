import { describe, expect, it } from 'vitest';
import { runsSettingsFromEnv } from '../../../server/runs/runs-settings-from-env.ts';

describe('runsSettingsFromEnv', () => {
  it('defaults to resuming at start-up and leaves the rest to the runs defaults', () => {
    expect(runsSettingsFromEnv({})).toEqual({
      resumeOnStart: true,
      concurrency: undefined,
      retentionMs: undefined,
      leaseMs: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      runsSettingsFromEnv({
        SIGNET_RUNS_RESUME: 'OFF',
        SIGNET_RUNS_CONCURRENCY: '8',
        SIGNET_RUNS_RETENTION_MS: '3600000',
        SIGNET_RUNS_LEASE_MS: '5000',
      }),
    ).toEqual({ resumeOnStart: false, concurrency: 8, retentionMs: 3_600_000, leaseMs: 5_000 });
  });

  it('stops start-up on a bad value, naming the variable', () => {
    expect(() => runsSettingsFromEnv({ SIGNET_RUNS_RESUME: 'maybe' })).toThrow(
      /SIGNET_RUNS_RESUME must be "on" or "off"/,
    );
    expect(() => runsSettingsFromEnv({ SIGNET_RUNS_CONCURRENCY: '0' })).toThrow(
      /SIGNET_RUNS_CONCURRENCY .* at least 1/,
    );
    expect(() => runsSettingsFromEnv({ SIGNET_RUNS_LEASE_MS: '1.5' })).toThrow(/SIGNET_RUNS_LEASE_MS/);
  });
});
