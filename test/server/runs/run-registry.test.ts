import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPipelineCatalog, type ServedPipeline } from '../../../server/runs/pipeline-catalog.ts';
import { removeExpiredRuns } from '../../../server/runs/remove-expired-runs.ts';
import { newRunId } from '../../../server/runs/run-record.ts';
import { createRunRegistry, type NewRun } from '../../../server/runs/run-registry.ts';
import { definePipeline, openSqliteStore, predict, SignetError, type Store } from '../../../src/index.ts';
import { note } from '../../pipeline/note-pipeline.ts';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-run-registry-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const fresh = (createdAt: number, extra: Partial<NewRun> = {}): NewRun => ({
  id: newRunId(createdAt),
  pipeline: { name: 'notes', version: '1.0.0' },
  inputs: { subject: 'x' },
  config: {},
  steps: 2,
  createdAt,
  ...extra,
});

describe('the run registry', () => {
  it('gives ids in creation order, and loses no change when writers race', async () => {
    const ids = [1, 2, 3].map((t) => newRunId(1_700_000_000_000 + t));
    expect([...ids].sort()).toEqual(ids);
    const registry = createRunRegistry(store);
    const { run } = await registry.create(fresh(1), 'h');
    await Promise.all(
      Array.from({ length: 20 }, () => registry.update(run.id, (r) => ({ ...r, resumes: r.resumes + 1 }))),
    );
    expect((await registry.require(run.id)).resumes).toBe(20);
  });

  it('lets one of two racing requests with an idempotency key create the run', async () => {
    const registry = createRunRegistry(store);
    const both = await Promise.all([
      registry.create(fresh(1, { idempotencyKey: 'k' }), 'h'),
      registry.create(fresh(2, { idempotencyKey: 'k' }), 'h'),
    ]);
    expect(both.filter((c) => c.created)).toHaveLength(1);
    expect(both[0].run.id).toBe(both[1].run.id);
    expect((await registry.list({ limit: 10 })).runs).toHaveLength(1);
    const other = await registry.create(fresh(3, { idempotencyKey: 'k', principal: 'another-key' }), 'h');
    expect(other.created).toBe(true);
  });

  it('removes runs that ended before the retention, with their records and key', async () => {
    const registry = createRunRegistry(store);
    const old = await registry.create(fresh(1, { idempotencyKey: 'old' }), 'h');
    const recent = await registry.create(fresh(2), 'h');
    const active = await registry.create(fresh(3), 'h');
    await store.append(`runs/${old.run.id}`, '{"type":"start"}');
    await registry.update(old.run.id, (r) => ({ ...r, status: 'succeeded', finishedAt: 1_000 }));
    await registry.update(recent.run.id, (r) => ({ ...r, status: 'failed', finishedAt: 9_000 }));
    expect(await removeExpiredRuns(registry, 5_000, 10_000)).toBe(1);
    expect(await registry.get(old.run.id)).toBeUndefined();
    expect(await store.read(`runs/${old.run.id}`)).toEqual([]);
    expect(await store.get('run-keys', '-\u0000old')).toBeUndefined();
    expect((await registry.list({ limit: 10 })).runs.map((r) => r.id)).toEqual([
      recent.run.id,
      active.run.id,
    ]);
  });
});

describe('the pipeline catalog', () => {
  const version = (v: string) =>
    definePipeline({ name: 'notes', version: v })
      .step('a', predict(note), () => ({ topic: 't' }))
      .returns((s) => s.a) as unknown as ServedPipeline;

  it('serves the newest version by default and names what is served when a version is missing', () => {
    const catalog = createPipelineCatalog([version('1.10.0'), version('1.9.0')]);
    expect(catalog.get('notes').version).toBe('1.10.0');
    expect(catalog.get('notes', '1.9.0').version).toBe('1.9.0');
    const missing = (() => {
      try {
        catalog.get('notes', '2.0.0');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(SignetError.is(missing) && missing.code).toBe('SIGNET_PIPELINE_NOT_FOUND');
    expect((missing as Error).message).toContain('served versions: 1.9.0, 1.10.0');
    expect(() => createPipelineCatalog([version('1.0.0'), version('1.0.0')])).toThrow(/listed twice/);
  });
});
