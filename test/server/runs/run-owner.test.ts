import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownerIdentity, ownerMayBeAlive } from '../../../server/runs/run-owner.ts';

describe('ownerMayBeAlive', () => {
  const me = ownerIdentity('inst_me');
  const now = 1_000_000;
  const lease = 30_000;
  const owner = (fields: Partial<{ instance: string; pid: number; host: string; heartbeatAt: number }>) => ({
    instance: 'inst_other',
    pid: process.ppid,
    host: me.host,
    heartbeatAt: now - 1_000,
    ...fields,
  });

  it('keeps a run of this instance, and of a live process of this host with a fresh heartbeat', () => {
    expect(ownerMayBeAlive(owner({ instance: 'inst_me', heartbeatAt: 0 }), me, lease, now)).toBe(true);
    expect(ownerMayBeAlive(owner({}), me, lease, now)).toBe(true);
  });

  it('takes over at once from a process of this host that is gone, or from this pid under another instance', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    expect(ownerMayBeAlive(owner({ pid: Number(gone.stdout) }), me, lease, now)).toBe(false);
    expect(ownerMayBeAlive(owner({ pid: process.pid }), me, lease, now)).toBe(false);
  });

  it('waits a lease for an owner on another host or a live pid gone silent', () => {
    expect(ownerMayBeAlive(owner({ host: 'elsewhere' }), me, lease, now)).toBe(true);
    expect(ownerMayBeAlive(owner({ host: 'elsewhere', heartbeatAt: now - lease }), me, lease, now)).toBe(
      false,
    );
    expect(ownerMayBeAlive(owner({ heartbeatAt: now - lease }), me, lease, now)).toBe(false);
  });
});
