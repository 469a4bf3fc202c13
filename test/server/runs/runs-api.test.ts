import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SignetApp } from '../../../server/app.ts';
import type { ServedPipeline } from '../../../server/runs/pipeline-catalog.ts';
import { definePipeline, openSqliteStore, predict, type Store } from '../../../src/index.ts';
import { createScriptedProvider } from '../../../src/testing/index.ts';
import { echoModel, note } from '../../pipeline/note-pipeline.ts';
import { keysFor, parseSse, testApp } from '../helpers.ts';

const step = predict(note);
const notes = definePipeline({
  name: 'notes',
  version: '1.0.0',
  description: 'outline, facts and risks, draft',
  inputs: z.object({ subject: z.string().min(1) }),
})
  .step('outline', step, (s) => ({ topic: `outline ${s.input.subject}` }))
  .parallel((branch) => ({
    facts: branch(step, (s) => ({ topic: `facts ${s.outline.note}` })),
    risks: branch(step, (s) => ({ topic: `risks ${s.outline.note}` })),
  }))
  .step('draft', step, (s) => ({ topic: `draft ${s.facts.note} ${s.risks.note}` }))
  .returns((s) => ({ text: s.draft.note }));
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const pipelines = [notes as unknown as ServedPipeline];
const EXPECTED = '<draft <facts <outline x>> <risks <outline x>>>';

let dir: string;
let store: Store;
const apps: SignetApp[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-runs-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function appWith(delayMs = 0, extra: Parameters<typeof testApp>[0] = {}) {
  const model = echoModel(delayMs);
  const app = await testApp({ ai: model.ai, runs: { store, pipelines, pollMs: 20 }, ...extra });
  apps.push(app);
  await app.ready();
  return { app, calls: model.calls };
}

const start = (app: SignetApp, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/dspy/runs', payload: body, headers });

async function settled(app: SignetApp, id: string, headers: Record<string, string> = {}) {
  for (;;) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/dspy/runs/${id}`, headers });
    const run = response.json();
    if (!['queued', 'running'].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the runs API', () => {
  it('starts a run (202), runs it in the background and shows its steps, outputs and usage', async () => {
    const { app, calls } = await appWith();
    const response = await start(app, { pipeline: 'notes', inputs: { subject: 'x' } });
    expect(response.statusCode, response.body).toBe(202);
    const started = response.json();
    expect(started).toMatchObject({
      status: 'queued',
      pipeline: { name: 'notes', version: '1.0.0' },
      stepsTotal: 4,
    });
    expect(response.headers.location).toBe(`/api/v1/dspy/runs/${started.id}`);
    const run = await settled(app, started.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      outputs: { text: EXPECTED },
      stepsDone: 4,
      attempts: 1,
    });
    expect(run.steps.map((s: { step: string }) => s.step).sort()).toEqual([
      'draft',
      'facts',
      'outline',
      'risks',
    ]);
    expect(run.steps[0]).toMatchObject({
      signature: 'pipeline-note@1.0.0',
      outputs: { note: '<outline x>' },
    });
    expect(run.usage.totalTokens).toBeGreaterThan(0);
    expect(calls).toHaveLength(4);
  });

  it('streams status and step events with ids, from a Last-Event-ID on', async () => {
    const { app } = await appWith();
    const { id } = (await start(app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    const response = await app.inject({ method: 'GET', url: `/api/v1/dspy/runs/${id}/events` });
    expect(response.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(response.body);
    expect(events.map((e) => e.event)).toEqual([
      'status',
      'status',
      'step',
      'step',
      'step',
      'step',
      'status',
    ]);
    const statuses = events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data).status);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
    expect(JSON.parse(events.at(-1)?.data ?? '{}').outputs).toEqual({ text: EXPECTED });
    const ids = [...response.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(7);
    const again = await app.inject({
      method: 'GET',
      url: `/api/v1/dspy/runs/${id}/events`,
      headers: { 'last-event-id': String(ids[4]) },
    });
    expect(parseSse(again.body).map((e) => e.event)).toEqual(['step', 'status']);
  });

  it('answers a repeated idempotency key with the first run, and refuses it for another body', async () => {
    const { app, calls } = await appWith();
    const body = { pipeline: 'notes', inputs: { subject: 'x' }, idempotencyKey: 'order-7' };
    const first = await start(app, body);
    const second = await start(
      app,
      { pipeline: 'notes', inputs: { subject: 'x' } },
      { 'idempotency-key': 'order-7' },
    );
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    await settled(app, first.json().id);
    expect(calls).toHaveLength(4);
    const other = await start(app, { ...body, inputs: { subject: 'y' } });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('SIGNET_RUN_CONFLICT');
  });

  it('rejects bad input with a 4xx and stores nothing', async () => {
    const { app } = await appWith();
    const cases = [
      [{ pipeline: 'notes', inputs: { subject: '' } }, 400, 'SIGNET_INPUT_INVALID'],
      [{ pipeline: 'notes', inputs: {}, extra: 1 }, 400, 'SIGNET_REQUEST_INVALID'],
      [{ pipeline: 'nope', inputs: {} }, 404, 'SIGNET_PIPELINE_NOT_FOUND'],
      [{ pipeline: 'notes', version: '9.0.0', inputs: { subject: 'x' } }, 404, 'SIGNET_PIPELINE_NOT_FOUND'],
    ] as const;
    for (const [body, status, code] of cases) {
      const response = await start(app, body);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().error.code).toBe(code);
    }
    const bad = await start(
      app,
      { pipeline: 'notes', inputs: { subject: 'x' } },
      { 'idempotency-key': 'a b' },
    );
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/dspy/runs' })).json().runs).toEqual([]);
  });

  it('answers 404 for an unknown run, 400 for a malformed id, and 409 to resume a run that succeeded', async () => {
    const { app } = await appWith();
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/v1/dspy/runs/run_000000000ffffffffffffffff',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('SIGNET_RUN_NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/api/v1/dspy/runs/nope' })).statusCode).toBe(400);
    const { id } = (await start(app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    await settled(app, id);
    const resumed = await app.inject({ method: 'POST', url: `/api/v1/dspy/runs/${id}/resume` });
    expect(resumed.statusCode).toBe(409);
    expect(resumed.json().error.code).toBe('SIGNET_RUN_FINISHED');
    const cancelled = await app.inject({ method: 'DELETE', url: `/api/v1/dspy/runs/${id}` });
    expect(cancelled.json().error.code).toBe('SIGNET_RUN_FINISHED');
  });

  it('cancels a running run, and a resume finishes it without repeating a recorded step', async () => {
    const { app, calls } = await appWith(40);
    const { id } = (await start(app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    while (!calls.some((c) => c.startsWith('facts'))) await new Promise((r) => setTimeout(r, 5));
    const cancelled = await app.inject({ method: 'DELETE', url: `/api/v1/dspy/runs/${id}` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await settled(app, id)).status).toBe('cancelled');
    const again = await app.inject({ method: 'DELETE', url: `/api/v1/dspy/runs/${id}` });
    expect(again.json().status).toBe('cancelled');
    const resumed = await app.inject({ method: 'POST', url: `/api/v1/dspy/runs/${id}/resume` });
    expect(resumed.statusCode, resumed.body).toBe(202);
    const run = await settled(app, id);
    expect(run).toMatchObject({ status: 'succeeded', outputs: { text: EXPECTED }, resumes: 1, attempts: 2 });
    expect(calls.filter((c) => c.startsWith('outline'))).toHaveLength(1);
    expect(run.steps).toHaveLength(4);
  });

  it('marks runs in flight interrupted when the app closes, and the next app resumes them at start-up', async () => {
    const first = await appWith(40);
    const { id } = (await start(first.app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    while (!first.calls.some((c) => c.startsWith('facts'))) await new Promise((r) => setTimeout(r, 5));
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);
    expect(JSON.parse((await store.get('runs', id))?.value ?? '{}').status).toBe('interrupted');
    const second = await appWith();
    const run = await settled(second.app, id);
    expect(run).toMatchObject({ status: 'succeeded', outputs: { text: EXPECTED }, resumes: 1 });
    expect(second.calls.some((c) => c.startsWith('outline'))).toBe(false);
    const metrics = (await second.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('signet_run_resumes_total{reason="start-up"} 1');
    expect(metrics).toMatch(/signet_run_steps_total\{result="replayed"\} [1-9]/);
    expect(metrics).toContain('signet_runs{status="succeeded"} 1');
    expect(metrics).toContain('signet_run_checkpoint_duration_seconds_count');
    if (hasPromtool) {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
    }
  });

  it('leaves interrupted runs for POST resume when start-up resume is off', async () => {
    const first = await appWith(40);
    const { id } = (await start(first.app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    while (first.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);
    const model = echoModel();
    const app = await testApp({ ai: model.ai, runs: { store, pipelines, resumeOnStart: false } });
    apps.push(app);
    await app.ready();
    await new Promise((r) => setTimeout(r, 50));
    expect((await app.inject({ method: 'GET', url: `/api/v1/dspy/runs/${id}` })).json().status).toBe(
      'interrupted',
    );
    const listed = await app.inject({ method: 'GET', url: '/api/v1/dspy/runs?status=interrupted' });
    expect(listed.json().runs.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await app.inject({ method: 'POST', url: `/api/v1/dspy/runs/${id}/resume` })).statusCode).toBe(
      202,
    );
    expect((await settled(app, id)).status).toBe('succeeded');
  });

  it('fails a run whose pipeline version is gone with an error naming it', async () => {
    const first = await appWith(40);
    const { id } = (await start(first.app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    while (first.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);
    const renamed = definePipeline({ name: 'notes', version: '2.0.0' })
      .step('outline', step, () => ({ topic: 'y' }))
      .returns((s) => s.outline);
    const app = await testApp({
      ai: echoModel().ai,
      runs: { store, pipelines: [renamed as unknown as ServedPipeline] },
    });
    apps.push(app);
    await app.ready();
    const run = await settled(app, id);
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('SIGNET_RUN_PROGRAM_MISSING');
    expect(run.error.message).toContain('notes@1.0.0');
    const resumed = await app.inject({ method: 'POST', url: `/api/v1/dspy/runs/${id}/resume` });
    expect(resumed.statusCode).toBe(409);
    expect(resumed.json().error.code).toBe('SIGNET_RUN_PROGRAM_MISSING');
  });

  it("keeps each API key's runs to itself; admin keys see all", async () => {
    const { store: keys, keys: secrets } = await keysFor(
      { name: 'alice', scopes: ['execute'] },
      { name: 'bob', scopes: ['execute'] },
      { name: 'root', scopes: ['admin'] },
    );
    const { app } = await appWith(0, { auth: { mode: 'on', keys } });
    const as = (who: string) => ({ authorization: `Bearer ${secrets[who]}` });
    const { id } = (await start(app, { pipeline: 'notes', inputs: { subject: 'x' } }, as('alice'))).json();
    await settled(app, id, as('alice'));
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/dspy/runs/${id}`, headers: as('bob') })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/dspy/runs', headers: as('bob') })).json().runs,
    ).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/dspy/runs/${id}`, headers: as('root') })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/dspy/runs' })).statusCode).toBe(401);
  });

  it('lists pipelines with their steps and input schema, and pages through runs by status', async () => {
    const { app } = await appWith();
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/dspy/pipelines' })).json();
    expect(listed.pipelines[0]).toMatchObject({
      name: 'notes',
      version: '1.0.0',
      steps: ['outline', 'facts', 'risks', 'draft'],
      inputSchema: { type: 'object', required: ['subject'] },
    });
    const ids = [];
    for (const subject of ['a', 'b', 'c']) {
      ids.push((await start(app, { pipeline: 'notes', inputs: { subject } })).json().id);
    }
    for (const id of ids) await settled(app, id);
    const page = (
      await app.inject({ method: 'GET', url: '/api/v1/dspy/runs?status=succeeded&limit=2' })
    ).json();
    expect(page.runs.map((r: { id: string }) => r.id)).toEqual(ids.slice(0, 2));
    const rest = (
      await app.inject({ method: 'GET', url: `/api/v1/dspy/runs?status=succeeded&after=${page.next}` })
    ).json();
    expect(rest.runs.map((r: { id: string }) => r.id)).toEqual(ids.slice(2));
    expect((await app.inject({ method: 'GET', url: '/api/v1/dspy/runs?status=failed' })).json().runs).toEqual(
      [],
    );
  });

  it('gives one run to concurrent requests with one idempotency key', async () => {
    const { app, calls } = await appWith();
    const body = { pipeline: 'notes', inputs: { subject: 'x' }, idempotencyKey: 'same' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => start(app, body)));
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.statusCode === 202)).toHaveLength(1);
    await settled(app, answers[0]?.json().id);
    expect((await app.inject({ method: 'GET', url: '/api/v1/dspy/runs' })).json().runs).toHaveLength(1);
    expect(calls).toHaveLength(4);
  });

  it('follows a resumed run to its new end, past the end status of its failed attempt', async () => {
    let failing = true;
    const ai = createScriptedProvider({
      fallback: (call) =>
        failing
          ? { error: new Error('upstream down') }
          : { content: `Note: <${/Topic: (.*)/.exec(call.lastUserMessage)?.[1] ?? '?'}>` },
    });
    const app = await testApp({ ai, runs: { store, pipelines, pollMs: 20 } });
    apps.push(app);
    await app.ready();
    const { id } = (await start(app, { pipeline: 'notes', inputs: { subject: 'x' } })).json();
    expect((await settled(app, id)).status).toBe('failed');
    failing = false;
    expect((await app.inject({ method: 'POST', url: `/api/v1/dspy/runs/${id}/resume` })).statusCode).toBe(
      202,
    );
    const events = parseSse(
      (await app.inject({ method: 'GET', url: `/api/v1/dspy/runs/${id}/events` })).body,
    );
    const statuses = events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data).status);
    expect(statuses.slice(0, 3)).toEqual(['queued', 'running', 'failed']);
    expect(statuses.at(-1)).toBe('succeeded');
  });
});
