import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledScript } from '../lib/compiled-script.ts';
import { medianGrowthPerStep } from '../lib/growth-rate.ts';
import type { Metric } from '../lib/metric.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { serverWarmupRequests } from './http-workload.ts';
import {
  type IdleResult,
  type SoakResult,
  type SoakSnapshot,
  soakMessageSchema,
} from './memory-soak-protocol.ts';
import { type ServerSoakResult, soakServers } from './server-soak.ts';

const CHILD = new URL('./memory-soak.child.ts', import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;
type Variant = 'signet' | 'raw';
const RAW = 'raw Ax (zod loaded)';
const BARE = 'bare Fastify child';
/** Server soak: readings after the warm-up and after each of this many equal intervals. */
const SERVER_INTERVALS = 10;
/**
 * Fresh processes per variant whose idle memory is read; the median is the metric. One process is not
 * enough: after the same imports, RSS lands on one of two levels about 4 MB apart from run to run.
 */
const IDLE_PROCESSES = 7;

/**
 * Memory at idle (the median of several fresh processes per variant) and growth over a soak of predict
 * runs, each variant in its own fresh `node --expose-gc` process so GC can be forced and nothing else
 * shares the heap. Then the same for
 * the HTTP server: the signet server child and a bare Fastify child serve `POST /api/v1/dspy/execute`
 * in equal intervals, and heap and RSS are read after forced GCs (server RSS at idle and right after a
 * load run are the http suite's metrics).
 */
export const memorySuite: BenchSuite = {
  name: 'memory',
  description:
    'RSS/heap at idle and heap growth over soaks of predict runs (vs raw Ax) and server requests (vs bare Fastify), forced GC',
  async run(context) {
    // About a thousand runs per second of --duration: 2,000 in a quick run, 10,000 by default.
    const runs = Math.round(Math.min(100_000, Math.max(500, context.durationMs)));
    const idle = await idleMedians(context.signal);
    const signet = await soak('signet', runs, context.signal, (f) => context.progress(f / 3, 'signet soak'));
    const raw = await soak('raw', runs, context.signal, (f) => context.progress((1 + f) / 3, 'raw Ax soak'));
    // About 250 requests per second of --duration per interval: 500 in a quick run, 2,500 by default.
    const server = await soakServers({
      requestsPerInterval: Math.round(Math.min(10_000, Math.max(250, context.durationMs / 4))),
      intervals: SERVER_INTERVALS,
      warmupRequests: serverWarmupRequests(context.durationMs),
      signal: context.signal,
      progress: (f) => context.progress((2 + f) / 3, 'server soak'),
    });
    const perRun = (r: SoakResult) =>
      medianGrowthPerStep(
        r.checkpoints.map((c) => c.heapUsed),
        r.runs / (r.checkpoints.length - 1),
      );
    const rssGrowth = (r: SoakResult) =>
      ((r.checkpoints.at(-1)?.rss ?? 0) - (r.checkpoints[0]?.rss ?? 0)) / MB;
    const metrics: Metric[] = [
      {
        id: 'memory.idle_rss_mb',
        label: `signet RSS at idle (median of ${IDLE_PROCESSES} fresh processes)`,
        series: 'signet',
        unit: 'MB',
        better: 'lower',
        value: idle.signet.rss / MB,
        baseline: { label: RAW, value: idle.raw.rss / MB },
        chart: 'bars',
        noiseFloor: 8,
      },
      {
        id: 'memory.idle_heap_mb',
        label: `signet heap at idle (median of ${IDLE_PROCESSES} fresh processes)`,
        unit: 'MB',
        better: 'lower',
        value: idle.signet.heapUsed / MB,
        baseline: { label: RAW, value: idle.raw.heapUsed / MB },
        noiseFloor: 1,
      },
      {
        id: 'memory.heap_growth_bytes_per_run',
        label: `signet heap growth per run after GC (median of intervals, ${count(signet.runs)} runs)`,
        series: 'signet',
        unit: 'B/run',
        better: 'lower',
        value: perRun(signet),
        baseline: { label: RAW, value: perRun(raw) },
        chart: 'bars',
        noiseFloor: 256,
      },
      {
        id: 'memory.rss_growth_mb',
        label: `signet RSS growth over the soak (${count(signet.runs)} runs)`,
        unit: 'MB',
        better: 'lower',
        value: rssGrowth(signet),
        baseline: { label: RAW, value: rssGrowth(raw) },
        noiseFloor: 16,
      },
      ...serverMetrics(server.signet, server.bare),
    ];
    return metrics;
  },
};

function serverMetrics(signet: ServerSoakResult, bare: ServerSoakResult): Metric[] {
  const perRequest = (r: ServerSoakResult) =>
    medianGrowthPerStep(
      r.checkpoints.map((c) => c.heapUsed),
      r.requestsPerInterval,
    );
  const rssGrowth = (r: ServerSoakResult) =>
    ((r.checkpoints.at(-1)?.rss ?? 0) - (r.checkpoints[0]?.rss ?? 0)) / MB;
  const total = count(signet.requestsPerInterval * (signet.checkpoints.length - 1));
  return [
    {
      id: 'memory.server_heap_growth_bytes_per_request',
      label: `signet server heap growth per request after GC (median of intervals, ${total} requests)`,
      series: 'signet server',
      unit: 'B/request',
      better: 'lower',
      value: perRequest(signet),
      baseline: { label: BARE, value: perRequest(bare) },
      chart: 'bars',
      noiseFloor: 64,
    },
    {
      id: 'memory.server_rss_growth_mb',
      label: `signet server RSS growth over the soak, after GC (${total} requests)`,
      unit: 'MB',
      better: 'lower',
      value: rssGrowth(signet),
      baseline: { label: BARE, value: rssGrowth(bare) },
      noiseFloor: 16,
    },
  ];
}

/** Idle memory of each variant: the median of fresh processes, the two variants taking turns. */
async function idleMedians(signal: AbortSignal): Promise<Record<Variant, SoakSnapshot>> {
  const readings: Record<Variant, SoakSnapshot[]> = { signet: [], raw: [] };
  for (let i = 0; i < IDLE_PROCESSES; i++) {
    for (const variant of ['signet', 'raw'] as const) {
      const answer = await runChild(variant, 0, signal, () => {});
      if (answer.type !== 'idle') throw new Error('memory idle child sent a soak result');
      readings[variant].push(answer.idle);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] ?? 0;
  const of = (list: SoakSnapshot[]): SoakSnapshot => ({
    rss: median(list.map((s) => s.rss)),
    heapUsed: median(list.map((s) => s.heapUsed)),
  });
  return { signet: of(readings.signet), raw: of(readings.raw) };
}

async function soak(
  variant: Variant,
  runs: number,
  signal: AbortSignal,
  progress: (fraction: number) => void,
): Promise<SoakResult> {
  const answer = await runChild(variant, runs, signal, progress);
  if (answer.type !== 'result') throw new Error('memory soak child sent only an idle reading');
  return answer;
}

function runChild(
  variant: Variant,
  runs: number,
  signal: AbortSignal,
  progress: (fraction: number) => void,
): Promise<SoakResult | IdleResult> {
  return compiledScript(CHILD, { signal }).then((script) =>
    childAnswer(script, variant, runs, signal, progress),
  );
}

function childAnswer(
  // The compiled child under plain node (no tsx), as users load signet from dist/.
  script: string,
  variant: Variant,
  runs: number,
  signal: AbortSignal,
  progress: (fraction: number) => void,
): Promise<SoakResult | IdleResult> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [variant, String(runs)], {
      cwd: REPO_ROOT,
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      signal,
    });
    let stderr = '';
    let result: SoakResult | IdleResult | undefined;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('message', (raw: unknown) => {
      const message = soakMessageSchema.safeParse(raw);
      if (!message.success) return reject(new Error(`memory soak child sent an unexpected message`));
      if (message.data.type === 'progress') progress(message.data.done / message.data.total);
      else result = message.data;
    });
    child.on('error', reject);
    child.on('exit', (code, exitSignal) => {
      if (result !== undefined && code === 0) return resolve(result);
      const how = exitSignal === null ? `exit code ${code}` : `signal ${exitSignal}`;
      reject(new Error(`memory soak child (${variant}) ended with ${how}: ${firstLine(stderr)}`));
    });
  });
}

function count(runs: number): string {
  return runs.toLocaleString('en-US');
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 300);
}
