import { fileURLToPath } from 'node:url';
import { type BenchChild, startBenchChild } from '../lib/bench-child.ts';
import { compiledScript } from '../lib/compiled-script.ts';
import {
  type ServerChildMessage,
  type ServerVariant,
  serverChildMessageSchema,
} from './http-server-protocol.ts';
import { EXECUTE_BODY, EXECUTE_PATH } from './http-workload.ts';

const CHILD = new URL('./http-server.child.ts', import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The V8 flags `npm start` runs the server with (package.json "start"; a test keeps the two equal). Both
 * children run with them, the bare baseline too, so the comparison stays fair. Why these: under load,
 * objects of in-flight requests survive scavenges and are promoted; V8's default heap growing factor
 * (up to 4x the live heap) lets that garbage pile up in old space to ~220 MB RSS before a full GC, while
 * the live heap stays ~30 MB. A 1.5x factor and 8 MB semi-spaces keep it under ~150 MB for a few
 * percent of throughput at most, inside the bench's noise (docs/server.md, "Memory").
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=50', '--max-semi-space-size=8'];

/** Memory of a server child, in bytes, and the CPU time it has used so far. */
export interface ServerMemory {
  readonly rss: number;
  readonly heapUsed: number;
  /** User + system CPU time since the child started, in µs. */
  readonly cpuUs: number;
}

/** One running server child. */
export interface ServerHandle {
  readonly variant: ServerVariant;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Reads its memory; with `gc`, after forced full collections. */
  memory(gc: boolean): Promise<ServerMemory>;
}

/** The signet server and its bare Fastify baseline, both listening and answering the same JSON. */
export interface ServerPair {
  readonly signet: ServerHandle;
  readonly bare: ServerHandle;
  /** Memory of both right after they started listening, before any request (no forced GC). */
  readonly idle: { readonly signet: ServerMemory; readonly bare: ServerMemory };
  /** The JSON both answer (a real signet response to `EXECUTE_BODY`). */
  readonly replyJson: string;
  /** Kills both children and waits for them to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the signet server child and the bare Fastify child side by side (each in its own process, on
 * 127.0.0.1), reads their idle memory, then gives the bare one the JSON signet answers and checks that
 * both now answer the same bytes. Both are killed if anything fails, and when `signal` aborts.
 *
 * Both run the compiled child (built first, incrementally, by the build `npm start` runs) under plain
 * `node --expose-gc` plus `SERVER_NODE_FLAGS`: no tsx in either process, so memory and throughput are
 * those of `npm start`.
 */
export async function startServerPair(options: {
  readonly providerDelayMs: number;
  readonly signal: AbortSignal;
}): Promise<ServerPair> {
  const script = await compiledScript(CHILD, { signal: options.signal });
  const start = (variant: ServerVariant) =>
    startBenchChild<ServerChildMessage>({
      name: `${variant} server child`,
      script,
      args: [variant, String(options.providerDelayMs)],
      execArgv: ['--expose-gc', ...SERVER_NODE_FLAGS],
      cwd: REPO_ROOT,
      parse: (raw) => serverChildMessageSchema.safeParse(raw).data,
      signal: options.signal,
    });
  const children = { signet: start('signet'), bare: start('bare') };
  const stop = async () => {
    await Promise.all([children.signet.stop(), children.bare.stop()]);
  };
  try {
    const [signet, bare] = await Promise.all([
      handle('signet', children.signet),
      handle('bare', children.bare),
    ]);
    const idle = { signet: await signet.memory(false), bare: await bare.memory(false) };
    const replyJson = await post(signet.origin);
    children.bare.send({ type: 'reply-with', json: replyJson });
    await children.bare.receive(
      (m): m is Extract<ServerChildMessage, { type: 'configured' }> => m.type === 'configured',
    );
    const bareJson = await post(bare.origin);
    if (bareJson !== replyJson) throw new Error(`the bare server answers ${bareJson}, not ${replyJson}`);
    return { signet, bare, idle, replyJson, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One server child, listening; `stop()` kills it. */
export interface StartedServerChild extends ServerHandle {
  stop(): Promise<void>;
}

/** Starts one server child of `variant` (see http-server.child.ts) and waits until it listens. */
export async function startServerChild(options: {
  readonly variant: ServerVariant;
  readonly providerDelayMs: number;
  readonly signal: AbortSignal;
}): Promise<StartedServerChild> {
  const script = await compiledScript(CHILD, { signal: options.signal });
  const child = startBenchChild<ServerChildMessage>({
    name: `${options.variant} server child`,
    script,
    args: [options.variant, String(options.providerDelayMs)],
    execArgv: ['--expose-gc', ...SERVER_NODE_FLAGS],
    cwd: REPO_ROOT,
    parse: (raw) => serverChildMessageSchema.safeParse(raw).data,
    signal: options.signal,
  });
  try {
    return { ...(await handle(options.variant, child)), stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function handle(variant: ServerVariant, child: BenchChild<ServerChildMessage>): Promise<ServerHandle> {
  const listening = await child.receive(
    (m): m is Extract<ServerChildMessage, { type: 'listening' }> => m.type === 'listening',
  );
  return {
    variant,
    origin: `http://127.0.0.1:${listening.port}`,
    async memory(gc) {
      child.send({ type: 'memory', gc });
      const reading = await child.receive(
        (m): m is Extract<ServerChildMessage, { type: 'memory' }> => m.type === 'memory',
      );
      return { rss: reading.rss, heapUsed: reading.heapUsed, cpuUs: reading.cpuUs };
    },
  };
}

async function post(origin: string): Promise<string> {
  const response = await fetch(`${origin}${EXECUTE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: EXECUTE_BODY,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${origin}${EXECUTE_PATH} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}
