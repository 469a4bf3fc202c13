import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SignetError } from '../../src/errors/signet-error.ts';
import { definePipeline } from '../../src/pipeline/index.ts';
import { predict } from '../../src/program/index.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { echoModel, note, notePipeline } from './note-pipeline.ts';

const EXPECTED = {
  text: '<polish <draft <facts <outline x>> <risks <outline x>>>>',
  outline: '<outline x>',
};

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-pipeline-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('definePipeline', () => {
  it('runs steps in order, a parallel group at once, and types every mapping from earlier outputs', async () => {
    const { ai, calls } = echoModel();
    const result = await notePipeline.run({ subject: 'x' }, { ai });
    expect(result.outputs).toEqual(EXPECTED);
    const text: string = result.outputs.text;
    expect(text).toContain('polish');
    expect(calls).toHaveLength(5);
    expect(calls[0]).toBe('outline x');
    expect(new Set(calls.slice(1, 3))).toEqual(new Set(['facts <outline x>', 'risks <outline x>']));
    expect(result.steps.map((s) => [s.step, s.replayed])).toEqual([
      ['outline', false],
      ['facts', false],
      ['risks', false],
      ['draft', false],
      ['polish', false],
    ]);
    expect(result.usage.totalTokens).toBe(result.steps.reduce((sum, s) => sum + s.usage.totalTokens, 0));
    expect(notePipeline.stepNames).toEqual(['outline', 'facts', 'risks', 'draft', 'polish']);
  });

  it('refuses, at compile time and at run time, a mapping that reads what is not there or a reused name', () => {
    const step = predict(note);
    const builder = definePipeline<{ subject: string }>({ name: 'typed', version: '1.0.0' }).step(
      'first',
      step,
      (s) => ({ topic: s.input.subject }),
    );
    // @ts-expect-error no step named "second" has run yet
    builder.step('next', step, (s) => ({ topic: s.second.note }));
    // @ts-expect-error the note is a string; topic needs a string, not a number
    builder.step('other', step, (s) => ({ topic: s.first.note.length }));
    // @ts-expect-error a step's name can be used once
    expect(() => builder.step('first', step, (s) => ({ topic: s.first.note }))).toThrow(/already used/);
    expect(() => definePipeline({ name: 'empty', version: '1.0.0' }).returns(() => ({}))).toThrow(/no step/);
  });

  it('resumes a failed run from its checkpoints: recorded steps are not run again', async () => {
    // The first attempt's model fails on the draft: outline, facts and risks are recorded.
    const failing = createScriptedProvider({
      rules: [
        { when: /Topic: draft/, reply: { error: new Error('model went away') } },
        { when: /Topic:/, reply: (call) => `Note: <${/Topic: (.*)/.exec(call.lastUserMessage)?.[1]}>` },
      ],
    });
    await expect(
      notePipeline.run({ subject: 'x' }, { ai: failing, store, runId: 'r1', maxRetries: 0 }),
    ).rejects.toThrow();
    const { ai, calls } = echoModel();
    const resumed = await notePipeline.run({ subject: 'x' }, { ai, store, runId: 'r1' });
    expect(resumed.outputs).toEqual(EXPECTED);
    expect(calls).toEqual([expect.stringMatching(/^draft /), expect.stringMatching(/^polish /)]);
    expect(resumed.steps.filter((s) => s.replayed).map((s) => s.step)).toEqual(['outline', 'facts', 'risks']);
    // Finished: running it again calls nothing and answers the same.
    const again = echoModel();
    expect((await notePipeline.run({ subject: 'x' }, { ai: again.ai, store, runId: 'r1' })).outputs).toEqual(
      EXPECTED,
    );
    expect(again.calls).toEqual([]);
  });

  it('refuses a run id of another pipeline or other inputs, and a store without a run id', async () => {
    const { ai } = echoModel();
    await notePipeline.run({ subject: 'x' }, { ai, store, runId: 'r2' });
    const error = await notePipeline
      .run({ subject: 'y' }, { ai, store, runId: 'r2' })
      .catch((e: unknown) => e);
    expect(SignetError.is(error) && error.code).toBe('SIGNET_RUN_CONFLICT');
    const other = definePipeline<{ subject: string }>({ name: 'other', version: '1.0.0' })
      .step('only', predict(note), (s) => ({ topic: s.input.subject }))
      .returns((s) => s.only);
    await expect(other.run({ subject: 'x' }, { ai, store, runId: 'r2' })).rejects.toThrow(
      /started by pipeline notes@1.0.0/,
    );
    await expect(notePipeline.run({ subject: 'x' }, { ai, store })).rejects.toThrow(/needs a runId/);
  });

  it('checks inputs against its schema before any model call, and reports each step as it completes', async () => {
    const { ai, calls } = echoModel();
    const typed = definePipeline({
      name: 'typed-notes',
      version: '1.0.0',
      inputs: z.object({ subject: z.string().min(2) }),
    })
      .step('outline', predict(note), (s) => ({ topic: `outline ${s.input.subject}` }))
      .step('draft', predict(note), (s) => ({ topic: `draft ${s.outline.note}` }))
      .returns((s) => ({ text: s.draft.note }));
    expect(typed.validateInputs({ subject: 'x' }).ok).toBe(false);
    const refused = await typed.run({ subject: 'x' }, { ai }).catch((error: unknown) => error);
    expect(SignetError.is(refused) && refused.code).toBe('SIGNET_INPUT_INVALID');
    expect(calls).toEqual([]);
    const events: { step: string; replayed: boolean; checkpointMs?: number | undefined }[] = [];
    const options = { ai, store, runId: 'typed-1', onStep: (e: (typeof events)[number]) => events.push(e) };
    await typed.run({ subject: 'xy' }, options);
    expect(events.map((e) => [e.step, e.replayed])).toEqual([
      ['outline', false],
      ['draft', false],
    ]);
    expect(events.every((e) => typeof e.checkpointMs === 'number' && e.checkpointMs >= 0)).toBe(true);
    await typed.run({ subject: 'xy' }, options);
    expect(events.slice(2).map((e) => [e.step, e.replayed, e.checkpointMs])).toEqual([
      ['outline', true, undefined],
      ['draft', true, undefined],
    ]);
    expect(() => definePipeline({ name: 'Not Kebab', version: '1.0.0' })).toThrow(/kebab-case name/);
  });

  it('reads its journal past records other writers add to the run stream (a server status change)', async () => {
    const { ai, calls } = echoModel();
    await store.append(
      'runs/shared-1',
      JSON.stringify({ type: 'status', status: 'queued', attempt: 1, at: 1 }),
    );
    await notePipeline.run({ subject: 'x' }, { ai, store, runId: 'shared-1' });
    const again = await notePipeline.run({ subject: 'x' }, { ai, store, runId: 'shared-1' });
    expect(again.outputs).toEqual(EXPECTED);
    expect(calls).toHaveLength(5);
  });

  it('fails the step when its checkpoint cannot be written, and a resume on a working store finishes it', async () => {
    const { ai, calls } = echoModel(20);
    const running = notePipeline.run({ subject: 'x' }, { ai, store, runId: 'w1' });
    while (calls.length === 0) await new Promise((r) => setTimeout(r, 2));
    await store.close();
    const failed = await running.catch((error: unknown) => error);
    expect(SignetError.is(failed) && failed.code).toBe('SIGNET_STORE_UNAVAILABLE');
    store = openSqliteStore({ dataDir: dir });
    const resumed = await notePipeline.run({ subject: 'x' }, { ai, store, runId: 'w1' });
    expect(resumed.outputs).toEqual(EXPECTED);
    // The outline's reply was never recorded, so it was asked again; nothing after it twice.
    expect(calls.filter((c) => c === 'outline x')).toHaveLength(2);
    expect(calls).toHaveLength(6);
  });
});
