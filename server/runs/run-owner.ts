import { hostname } from 'node:os';
import type { RunOwner } from './run-record.ts';

/** This server instance, as it marks the runs it holds. */
export interface OwnerIdentity {
  readonly instance: string;
  readonly pid: number;
  readonly host: string;
}

/** The identity of this process's runs executor. */
export function ownerIdentity(instance: string): OwnerIdentity {
  return { instance, pid: process.pid, host: hostname() };
}

/**
 * Whether the owner of a running run may still be working on it. A run held by a process of this host
 * that no longer exists (killed, crashed) is taken over at once; one held elsewhere, or by a live pid,
 * only after its heartbeat is `leaseMs` old (a reused pid, a stuck or partitioned server).
 */
export function ownerMayBeAlive(owner: RunOwner, me: OwnerIdentity, leaseMs: number, now: number): boolean {
  if (owner.instance === me.instance) return true;
  const fresh = now - owner.heartbeatAt < leaseMs;
  if (owner.host !== me.host) return fresh;
  // Our own pid under another instance id: that process was this one's predecessor (a container restart).
  if (owner.pid === me.pid) return false;
  return fresh && processExists(owner.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
