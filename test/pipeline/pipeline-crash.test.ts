/**
 * Durable pipeline runs against real crashes: a child process runs the notes pipeline on a real SQLite
 * store and is killed with SIGKILL mid-run; a second process resumes it with the same run id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runStream } from '../../src/pipeline/index.ts';
import { openSqliteStore } from '../../src/store/index.ts';

const SCRIPT = fileURLToPath(new URL('./fixtures/run-notes.ts', import.meta.url));
const AGENT = fileURLToPath(new URL('./fixtures/run-agent.ts', import.meta.url));

/** Runs the agent fixture; resolves its output lines when it exits, or kills it once `killOn` is printed. */
function agent(args: readonly string[], killOn?: string): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', AGENT, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      if (line === killOn) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('exit', () => resolve(lines)));
}
const EXPECTED = { text: '<polish <draft <facts <outline x>> <risks <outline x>>>>', outline: '<outline x>' };
const DELAY_MS = 60;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the child; resolves its `call` topics and `done` outputs, and lets the test kill it. */
function start(dataDir: string, runId: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, dataDir, runId, String(DELAY_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const calls: string[] = [];
  let done: unknown;
  let firstCall: () => void = () => undefined;
  const called = new Promise<void>((resolve) => (firstCall = resolve));
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('call ')) {
        calls.push(line.slice(5));
        firstCall();
      } else if (line.startsWith('done ')) done = JSON.parse(line.slice(5));
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, calls, called, exited, outputs: () => done };
}

async function recordedSteps(dataDir: string, runId: string): Promise<string[]> {
  const store = openSqliteStore({ dataDir });
  try {
    const records = await store.read(runStream(runId));
    return records
      .map((r) => JSON.parse(r.record) as { type: string; step?: string })
      .flatMap((r) => (r.type === 'step' && r.step !== undefined ? [r.step] : []));
  } finally {
    await store.close();
  }
}

describe('a pipeline run killed with SIGKILL', () => {
  // Kill points after the first model call starts: inside the outline, the parallel pair, the draft.
  it.each([10, 90, 170])(
    'resumes %i ms after the first call and finishes without repeating a recorded step',
    async (killAfterMs) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'signet-crash-'));
      dirs.push(dataDir);
      const first = start(dataDir, 'crash');
      await first.called;
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull(); // killed, not finished
      const recorded = await recordedSteps(dataDir, 'crash');
      expect(recorded.length).toBeLessThan(5);

      const second = start(dataDir, 'crash');
      expect(await second.exited).toBe(0);
      expect(second.outputs()).toEqual(EXPECTED);
      const stepOf = (topic: string) => topic.split(' ')[0] as string;
      // No step recorded before the crash was asked of the model again; every other one was, once.
      expect(second.calls.map(stepOf).filter((step) => recorded.includes(step))).toEqual([]);
      expect(second.calls.map(stepOf).sort()).toEqual(
        ['outline', 'facts', 'risks', 'draft', 'polish'].filter((s) => !recorded.includes(s)).sort(),
      );
      expect(await recordedSteps(dataDir, 'crash')).toHaveLength(5);
    },
    60_000,
  );

  it('never re-runs a non-idempotent tool that was running at the kill, unless the caller allows it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-agent-crash-'));
    dirs.push(dataDir);
    const killed = await agent([dataDir, 'agent-1', 'hang'], 'tool sendEmail');
    expect(killed).toEqual(['model', 'tool lookupOrder', 'model', 'tool sendEmail']);
    // The two model replies and the lookup are read back; the email's outcome is unknown: refused.
    expect(await agent([dataDir, 'agent-1', 'go'])).toEqual(['error SIGNET_RUN_STEP_UNCERTAIN']);
    const allowed = await agent([dataDir, 'agent-1', 'go', 'allow']);
    expect(allowed).toEqual(['tool sendEmail', 'model', 'done {"answer":"A1 shipped; emailed."}']);
  }, 60_000);
});
