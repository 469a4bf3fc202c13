import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../../cli/main.ts';
import type { SignetApp } from '../../server/app.ts';
import type { ServedPipeline } from '../../server/runs/pipeline-catalog.ts';
import { definePipeline, openSqliteStore, predict, type Store } from '../../src/index.ts';
import { echoModel, note } from '../pipeline/note-pipeline.ts';
import { listen, testApp } from '../server/helpers.ts';

const notes = definePipeline({ name: 'notes', version: '1.0.0', inputs: z.object({ subject: z.string() }) })
  .step('outline', predict(note), (s) => ({ topic: `outline ${s.input.subject}` }))
  .step('draft', predict(note), (s) => ({ topic: `draft ${s.outline.note}` }))
  .returns((s) => ({ text: s.draft.note }));

describe('signet runs, against a server on a real socket', () => {
  let dir: string;
  let store: Store;
  let app: SignetApp;
  let url: string;
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'signet', 'runs', ...args, '--url', url], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signet-cli-runs-'));
    store = openSqliteStore({ dataDir: dir });
    app = await testApp({
      ai: echoModel(200).ai,
      runs: { store, pipelines: [notes as unknown as ServedPipeline], pollMs: 20 },
    });
    url = await listen(app);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, cancels, resumes, shows and lists a run', async () => {
    const started = await cli('start', 'notes', '--inputs', '{"subject":"x"}', '--json');
    expect(started.code, started.err).toBe(0);
    const { id } = JSON.parse(started.out);
    const cancelled = await cli('cancel', id);
    expect(cancelled.out).toBe(`${id} cancelled`);
    expect((await cli('resume', id)).out).toBe(`${id} queued`);
    for (;;) {
      const shown = JSON.parse((await cli('show', id, '--json')).out);
      if (shown.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const shown = await cli('show', id);
    expect(shown.out).toContain('status    succeeded');
    expect(shown.out).toContain('outline (pipeline-note@1.0.0)');
    expect(shown.out).toContain('outputs   {"text":"<draft <outline x>>"}');
    const listed = await cli('list', '--status', 'succeeded');
    expect(listed.out).toMatch(new RegExp(`${id}\\s+succeeded\\s+notes@1.0.0\\s+2/2\\s+2`));
  });

  it('prints coded errors and exits 1', async () => {
    const missing = await cli('show', 'run_000000000ffffffffffffffff');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error SIGNET_RUN_NOT_FOUND: no run run_0/);
    const badJson = await cli('start', 'notes', '--inputs', '{nope');
    expect(badJson.err).toMatch(/SIGNET_INPUT_INVALID: --inputs is not JSON/);
    const unreachable = await main(['node', 'signet', 'runs', 'list', '--url', 'http://127.0.0.1:9'], {
      out: () => undefined,
      err: (line) =>
        expect(line).toMatch(/SIGNET_NOT_READY: cannot reach a signet server at http:\/\/127.0.0.1:9/),
    });
    expect(unreachable).toBe(1);
  });
});
