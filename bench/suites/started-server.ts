import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledScript } from '../lib/compiled-script.ts';
import { SERVER_NODE_FLAGS } from './server-pair.ts';

const START = fileURLToPath(new URL('../../server/start.ts', import.meta.url));
/** Characters of the log kept from the start and from the end. */
const KEEP_OUTPUT = 256 * 1024;
/** Fastify's start-up log line, which carries the address the server listens on. */
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

/** The signet server as `npm start` runs it, in a child process. */
export interface StartedServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Everything it has written to stdout and stderr so far (its log). */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * Starts the compiled `server/start.ts` (what `npm start` runs, with its V8 flags) on a free port, with
 * `env` on top of a minimal environment (no keys of the machine leak in), an empty project root (no
 * local model) and Ollama off unless `env` says otherwise. Resolves once it logs its address.
 */
export async function startServerProcess(
  env: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<StartedServer> {
  const script = await compiledScript(START, { signal });
  const root = mkdtempSync(join(tmpdir(), 'signet-bench-server-'));
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      SIGNET_OLLAMA: 'off',
      SIGNET_KEYS_FILE: join(root, 'keys.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    await stopChild(child);
    rmSync(root, { recursive: true, force: true });
  };
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    // A long bench run logs every request: keep the start-up lines and the most recent ones.
    if (output.length > 4 * KEEP_OUTPUT) output = output.slice(0, KEEP_OUTPUT) + output.slice(-KEEP_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    const origin = await listeningOrigin(child, () => output, signal);
    return { origin, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningOrigin(child: ChildProcess, output: () => string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const found = LISTENING.exec(output());
      if (found?.[1] !== undefined) {
        child.stdout?.off('data', onData);
        resolve(found[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${output()}`)),
    );
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
