import type { DeploymentPolicyOptions } from '../router/deployment-policy.ts';

/**
 * The bulkhead a deployment group gets from the environment: `SIGNET_<GROUP>_MAX_CONCURRENT` (calls in
 * flight) and `SIGNET_<GROUP>_MAX_QUEUED` (calls waiting), e.g. `SIGNET_CLOUD_MAX_CONCURRENT=200`.
 * Unset variables keep the router's defaults; a value that is not a whole number stops start-up.
 */
export function readBulkheadEnv(
  env: Readonly<Record<string, string | undefined>>,
  group: 'CLOUD' | 'OLLAMA',
): DeploymentPolicyOptions | undefined {
  const maxConcurrent = wholeNumber(env, `SIGNET_${group}_MAX_CONCURRENT`, 1);
  const maxQueued = wholeNumber(env, `SIGNET_${group}_MAX_QUEUED`, 0);
  if (maxConcurrent === undefined && maxQueued === undefined) return undefined;
  return {
    bulkhead: {
      ...(maxConcurrent === undefined ? {} : { maxConcurrent }),
      ...(maxQueued === undefined ? {} : { maxQueued }),
    },
  };
}

function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  min: number,
): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `${name} must be a whole number of at least ${min} (got "${raw}"); unset it for the default`,
    );
  }
  return value;
}
