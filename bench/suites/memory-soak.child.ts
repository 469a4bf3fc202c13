/**
 * Child process of the memory suite. It runs compiled, under plain node with no tsx, as users load signet
 * from dist/: `node --expose-gc dist/bench/suites/memory-soak.child.js <signet|raw> <runs>` with an IPC
 * channel. It loads only what its variant needs, measures memory at idle, warms up, then runs the soak
 * in equal intervals and measures after each, always after a forced full GC. With 0 runs it only measures
 * memory at idle and exits.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScriptedProvider } from '../../src/testing/scripted-provider.ts';
import type { SoakMessage, SoakSnapshot } from './memory-soak-protocol.ts';
import { createQaProvider, QA_SIGNATURE, QA_SIGNATURE_META, qaInputs } from './qa-workload.ts';

const WARMUP_RUNS = 1000;
/** The soak is read after each of this many equal intervals (growth is the median over intervals). */
const INTERVALS = 10;
/** A fresh provider every this many runs: the scripted provider's call log must not pass for a leak. */
const PROVIDER_RUNS = 500;

const gc = (globalThis as { gc?: () => void }).gc;
const send = (message: SoakMessage) => process.send?.(message);

async function main(): Promise<void> {
  const [variant, runsText] = process.argv.slice(2);
  const runs = Number(runsText);
  if (gc === undefined || process.send === undefined)
    throw new Error('run me with --expose-gc and an IPC channel');
  if ((variant !== 'signet' && variant !== 'raw') || !(runs >= 0))
    throw new Error('usage: <signet|raw> <runs>');

  const call = await loadVariant(variant);
  const idle = await snapshot(gc);
  if (runs === 0) {
    send({ type: 'idle', variant, idle });
    return;
  }
  let ai = createQaProvider();
  for (let i = 1; i <= WARMUP_RUNS; i++) {
    if (i % PROVIDER_RUNS === 0) ai = createQaProvider();
    await call(ai);
  }
  ai = createQaProvider();
  const checkpoints = [await snapshot(gc)];
  const perInterval = Math.ceil(runs / INTERVALS);
  for (let interval = 1; interval <= INTERVALS; interval++) {
    for (let i = 1; i <= perInterval; i++) {
      if (i % PROVIDER_RUNS === 0) ai = createQaProvider();
      await call(ai);
    }
    ai = createQaProvider(); // drop the call log before reading, so it never counts
    checkpoints.push(await snapshot(gc));
    send({ type: 'progress', done: interval, total: INTERVALS });
  }
  send({ type: 'result', variant, runs: perInterval * INTERVALS, idle, checkpoints });
}

type Call = (ai: ScriptedProvider) => Promise<unknown>;

async function loadVariant(variant: 'signet' | 'raw'): Promise<Call> {
  if (variant === 'raw') {
    // Ax and zod, the two libraries signet is built from: signet's signatures are zod schemas, so zod
    // (~14 MB of RSS on its own) is part of any signet program; the ratio is what signet adds to them.
    const [{ AxGen }] = await Promise.all([import('@ax-llm/ax'), import('zod')]);
    const gen = new AxGen(QA_SIGNATURE);
    return (ai) => gen.forward(ai, qaInputs);
  }
  const { defineSignature, predict } = await import('../../src/index.ts');
  const program = predict(defineSignature({ ...QA_SIGNATURE_META, signature: QA_SIGNATURE }));
  return (ai) => program.run(qaInputs, { ai });
}

async function snapshot(collect: () => void): Promise<SoakSnapshot> {
  collect();
  await nextTurn(); // let finalizers and weak callbacks run, then collect what they released
  collect();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
