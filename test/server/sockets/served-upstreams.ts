import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignetApp } from '../../../server/app.ts';
import { startServer } from '../../../server/start.ts';
import {
  type FakeUpstream,
  type FakeUpstreamKind,
  type FakeUpstreamOptions,
  startFakeUpstream,
} from '../../../src/testing/index.ts';

/** One kind of upstream `npm start` discovers, and how its fake is wired in. */
export interface ServedKind {
  /** Name in test titles (the cloud kind, or `ollama`). */
  readonly name: string;
  /** Wire dialect of its fake. */
  readonly dialect: FakeUpstreamKind;
  /** Deployment id the server gives it. */
  readonly deployment: string;
  /** Model the server asks for. */
  readonly model: string;
  /** The environment that points discovery at the fake. */
  env(fake: FakeUpstream): Record<string, string>;
}

/** Every upstream kind the server discovers from its environment. */
export const servedKinds: readonly ServedKind[] = [
  {
    name: 'openai',
    dialect: 'openai',
    deployment: 'cloud-openai',
    model: 'gpt-4o-mini',
    env: (f) => ({ ...f.env }),
  },
  {
    name: 'openai-compatible',
    dialect: 'openai',
    deployment: 'cloud-openai-compatible',
    model: 'qwen2.5-7b-instruct',
    env: (f) => ({
      OPENAI_COMPATIBLE_BASE_URL: f.baseUrl,
      OPENAI_COMPATIBLE_API_KEY: 'compat-key',
      SIGNET_OPENAI_COMPATIBLE_MODEL: 'qwen2.5-7b-instruct',
    }),
  },
  {
    name: 'anthropic',
    dialect: 'anthropic',
    deployment: 'cloud-anthropic',
    model: 'claude-3-5-haiku-latest',
    env: (f) => ({ ...f.env }),
  },
  {
    name: 'gemini',
    dialect: 'gemini',
    deployment: 'cloud-gemini',
    model: 'gemini-2.0-flash',
    env: (f) => ({ ...f.env }),
  },
  {
    name: 'ollama',
    dialect: 'ollama',
    deployment: 'ollama',
    model: 'llama3.2:3b',
    env: (f) => ({ ...f.env }),
  },
];

/** A fake upstream and the real server in front of it, listening on a free port. */
export interface ServedUpstream {
  readonly fake: FakeUpstream;
  readonly app: SignetApp;
  /** `http://127.0.0.1:<port>` of the server. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Starts the fake, then the server the way `npm start` does (`startServer` with an environment, on a
 * real port, auth off on loopback) with no local model and Ollama off unless it is the kind under test.
 */
export async function serveUpstream(
  kind: ServedKind,
  options: Omit<FakeUpstreamOptions, 'kind'> = {},
  extraEnv: Record<string, string> = {},
): Promise<ServedUpstream> {
  const fake = await startFakeUpstream({ kind: kind.dialect, model: kind.model, ...options });
  const root = mkdtempSync(join(tmpdir(), 'signet-served-'));
  try {
    const app = await startServer(
      {
        ...kind.env(fake),
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        SIGNET_KEYS_FILE: join(root, 'keys.json'),
        ...(kind.dialect === 'ollama' ? {} : { SIGNET_OLLAMA: 'off' }),
        ...extraEnv,
      },
      { handleSignals: false, root },
    );
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return {
      fake,
      app,
      origin: `http://127.0.0.1:${port}`,
      close: async () => {
        await app.close();
        await fake.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** POSTs JSON and returns the status, headers, elapsed ms and the body text. */
export async function postJson(
  url: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; headers: Headers; ms: number; text: string }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, ms: performance.now() - started, text };
}
