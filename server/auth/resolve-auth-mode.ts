import { isIP } from 'node:net';

/** Whether requests must carry an API key. */
export type AuthMode = 'off' | 'on';

/** The decision and why, so start-up can log it. */
export interface AuthDecision {
  /** The mode to run with. */
  readonly mode: AuthMode;
  /** Why, in words, for the start-up log. */
  readonly reason: string;
}

/**
 * Decides whether API keys are required. `SIGNET_AUTH=on|off` wins; otherwise auth is off only on a
 * loopback host (127.0.0.0/8, ::1, localhost), where nobody else can connect, and on everywhere else
 * (including 0.0.0.0 and ::). Pure: the caller passes the host and environment.
 */
export function resolveAuthMode(
  host: string,
  env: Readonly<Record<string, string | undefined>>,
): AuthDecision {
  const setting = env.SIGNET_AUTH?.trim().toLowerCase();
  if (setting === 'off') {
    return { mode: 'off', reason: `SIGNET_AUTH=off: API keys are not required on ${host}` };
  }
  if (setting === 'on') return { mode: 'on', reason: 'SIGNET_AUTH=on: API keys are required' };
  if (setting !== undefined && setting !== '') {
    throw new Error(`SIGNET_AUTH must be "on" or "off" (got "${env.SIGNET_AUTH}")`);
  }
  if (isLoopback(host)) {
    return { mode: 'off', reason: `bound to loopback host ${host}: API keys are not required` };
  }
  return {
    mode: 'on',
    reason: `bound to non-loopback host ${host}: API keys are required (set SIGNET_AUTH=off to disable)`,
  };
}

/** Whether a host name or address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped !== null && (mapped[1] as string).startsWith('127.');
}
