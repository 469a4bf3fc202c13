import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeUpstream } from '../../src/testing/index.ts';
import { compiledScript } from '../lib/compiled-script.ts';
import { percentile } from '../lib/stats.ts';
import { SERVER_NODE_FLAGS } from '../suites/server-pair.ts';
import { type ModelCall, researchAnswerReply } from './research-answer-replies.ts';

const START = fileURLToPath(new URL('../../server/start.ts', import.meta.url));
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
const PASSAGES = [
  'Refunds are issued within 5 to 7 business days of approval.',
  'Shipping takes 2 business days inside the country.',
];

/** Options of `runCrashTest`. */
export interface CrashTestOptions {
  /** Runs to interrupt (one SIGKILL each). */
  readonly runs: number;
  /** Delay of every model call at the fake upstream, in ms. */
  readonly latencyMs: number;
  /** Seed of the kill moments (the same seed kills at the same moments). */
  readonly seed: number;
  readonly signal: AbortSignal;
  /** Progress lines. */
  readonly log?: ((line: string) => void) | undefined;
}

/** What the crash test measured. */
export interface CrashTestReport {
  readonly runs: number;
  readonly latencyMs: number;
  /** Runs that succeeded after their kill and restart. */
  readonly completed: number;
  /** Runs whose outputs equal an uninterrupted run of the same inputs. */
  readonly outputsEqual: number;
  /** Model calls for a step after that step's checkpoint was written: must be 0. */
  readonly repeatedSteps: number;
  /** Model calls for steps that were in flight at a kill and ran again (allowed: never recorded). */
  readonly rerunInFlight: number;
  /** How many steps were recorded when each kill hit: index = steps, value = runs. */
  readonly stepsRecordedAtKill: readonly number[];
  /** Uninterrupted run time (POST to succeeded), ms, p50. */
  readonly uninterruptedMsP50: number;
  /** Server restart to listening, ms, p50. */
  readonly restartMsP50: number;
  /** Model calls of the crash phase and of the uninterrupted baseline. */
  readonly calls: { readonly crashed: number; readonly baseline: number };
  /** Per-run problems (empty when all is well). */
  readonly problems: readonly string[];
}

interface RunningServer {
  readonly origin: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

interface RunBody {
  readonly id: string;
  readonly status: string;
  readonly outputs?: Record<string, unknown>;
  readonly steps?: readonly { readonly step: string; readonly recordedAt: string }[];
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The durable-runs crash test: the server as `npm start` runs it, on a fake OpenAI upstream that takes
 * `latencyMs` per call, runs `research-answer` (5 steps, two of them in parallel). Each run is killed
 * with SIGKILL at a random moment within an uninterrupted run's duration; the server is restarted on
 * the same data folder and resumes it. Then every input runs once more without a kill, and outputs are
 * compared. A step's model call that arrives after its checkpoint was written is a repeated step.
 */
export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestReport> {
  const log = options.log ?? (() => undefined);
  const calls: (ModelCall & { phase: 'crash' | 'baseline' })[] = [];
  let phase: 'crash' | 'baseline' = 'baseline';
  const fake = await startFakeUpstream({
    kind: 'openai',
    latencyMs: options.latencyMs,
    reply: researchAnswerReply((call) => calls.push({ ...call, phase })),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-crash-'));
  const script = await compiledScript(START, { signal: options.signal });
  const env = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    SIGNET_OLLAMA: 'off',
    SIGNET_CACHE: 'off',
    SIGNET_RATE_LIMIT: 'off',
    SIGNET_DATA_DIR: dataDir,
    SIGNET_KEYS_FILE: join(dataDir, 'keys.json'),
    ...fake.env,
  };
  const random = mulberry32(options.seed);
  const problems: string[] = [];
  const restarts: number[] = [];
  const durations: number[] = [];
  const killedAt = new Map<string, { tag: string; at: number; id: string }>();
  let server = await startServer(script, env, dataDir, options.signal);
  try {
    // The uninterrupted duration, which the kill moments are drawn within.
    for (let i = 0; i < 3; i++) {
      const begun = Date.now();
      const run = await startRun(server.origin, `warm-${i}`);
      await waitForEnd(server.origin, run.id, options.signal);
      durations.push(Date.now() - begun);
    }
    const windowMs = percentile(
      [...durations].sort((a, b) => a - b),
      50,
    );
    log(`uninterrupted run: ${windowMs} ms; killing ${options.runs} runs within it`);
    phase = 'crash';
    for (let i = 1; i <= options.runs; i++) {
      const tag = `run-${i}`;
      const run = await startRun(server.origin, tag);
      await sleep(random() * windowMs);
      const at = Date.now();
      await kill(server.child);
      killedAt.set(tag, { tag, at, id: run.id });
      const restarting = Date.now();
      server = await startServer(script, env, dataDir, options.signal);
      restarts.push(Date.now() - restarting);
      const ended = await waitForEnd(server.origin, run.id, options.signal);
      if (ended.status !== 'succeeded') {
        problems.push(`${tag}: ${ended.status} ${ended.error?.code ?? ''} ${ended.error?.message ?? ''}`);
      }
      if (i % 10 === 0 || i === options.runs) log(`${i}/${options.runs} runs killed and resumed`);
    }
    // The same inputs once more, uninterrupted: the outputs to compare with.
    phase = 'baseline';
    const crashed = new Map<string, RunBody>();
    const baseline = new Map<string, RunBody>();
    for (const { tag, id } of killedAt.values()) {
      crashed.set(tag, await getRun(server.origin, id));
      const again = await startRun(server.origin, tag);
      baseline.set(tag, await waitForEnd(server.origin, again.id, options.signal));
    }
    return analyse({
      options,
      calls,
      killedAt,
      crashed,
      baseline,
      problems,
      restarts,
      durations,
    });
  } finally {
    await kill(server.child);
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function analyse(input: {
  options: CrashTestOptions;
  calls: readonly (ModelCall & { phase: 'crash' | 'baseline' })[];
  killedAt: ReadonlyMap<string, { at: number }>;
  crashed: ReadonlyMap<string, RunBody>;
  baseline: ReadonlyMap<string, RunBody>;
  problems: string[];
  restarts: number[];
  durations: number[];
}): CrashTestReport {
  const { calls, killedAt, crashed, baseline, problems } = input;
  let completed = 0;
  let outputsEqual = 0;
  let repeatedSteps = 0;
  let rerunInFlight = 0;
  const stepsRecordedAtKill = [0, 0, 0, 0, 0, 0];
  for (const [tag, run] of crashed) {
    if (run.status === 'succeeded') completed++;
    const base = baseline.get(tag);
    if (base?.status === 'succeeded' && JSON.stringify(base.outputs) === JSON.stringify(run.outputs)) {
      outputsEqual++;
    } else {
      problems.push(`${tag}: outputs differ from an uninterrupted run`);
    }
    const recorded = new Map<string, number>();
    for (const step of run.steps ?? []) {
      if (recorded.has(step.step)) problems.push(`${tag}: step ${step.step} was recorded twice`);
      recorded.set(step.step, Date.parse(step.recordedAt));
    }
    const kill = killedAt.get(tag)?.at ?? 0;
    const before = [...recorded.values()].filter((at) => at <= kill).length;
    stepsRecordedAtKill[before] = (stepsRecordedAtKill[before] ?? 0) + 1;
    const mine = calls.filter((c) => c.phase === 'crash' && c.tag === tag);
    for (const [step, at] of recorded) {
      const forStep = mine.filter((c) => c.step === step);
      const after = forStep.filter((c) => c.at > at).length;
      repeatedSteps += after;
      rerunInFlight += forStep.length - after - 1;
      if (after > 0) problems.push(`${tag}: step ${step} was asked of the model again after its checkpoint`);
    }
  }
  const p50 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  return {
    runs: input.options.runs,
    latencyMs: input.options.latencyMs,
    completed,
    outputsEqual,
    repeatedSteps,
    rerunInFlight,
    stepsRecordedAtKill,
    uninterruptedMsP50: p50(input.durations),
    restartMsP50: p50(input.restarts),
    calls: {
      crashed: calls.filter((c) => c.phase === 'crash').length,
      baseline: calls.filter((c) => c.phase === 'baseline').length,
    },
    problems,
  };
}

async function startRun(origin: string, tag: string): Promise<RunBody> {
  const response = await fetch(`${origin}/api/v1/dspy/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      pipeline: 'research-answer',
      inputs: { question: `How long do refunds take? [${tag}]`, passages: PASSAGES },
    }),
  });
  const body = (await response.json()) as RunBody;
  if (response.status !== 202)
    throw new Error(`POST /api/v1/dspy/runs answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function getRun(origin: string, id: string): Promise<RunBody> {
  const response = await fetch(`${origin}/api/v1/dspy/runs/${id}`);
  return (await response.json()) as RunBody;
}

async function waitForEnd(origin: string, id: string, signal: AbortSignal): Promise<RunBody> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    signal.throwIfAborted();
    const run = await getRun(origin, id);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status} after 60 s`);
    await sleep(10);
  }
}

function startServer(
  script: string,
  env: Record<string, string>,
  cwd: string,
  signal: AbortSignal,
): Promise<RunningServer> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    const onExit = (code: number | null) =>
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 1_000_000) output = output.slice(-500_000);
      const found = LISTENING.exec(output);
      if (found?.[1] !== undefined) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
        resolve({ origin: found[1], child, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', onExit);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded PRNG (mulberry32): the same seed draws the same kill moments. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
