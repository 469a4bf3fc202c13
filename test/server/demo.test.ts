import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
let child: ChildProcess | undefined;
let baseUrl = '';
let modelDir = '';

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'signet-demo-'));
  // Exactly what `npm run demo` runs, with no network: no Ollama, no cloud keys.
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      SIGNET_DEMO_MODEL_DIR: join(modelDir, 'demo-lm'),
      SIGNET_OLLAMA: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${out}`)), 60_000);
    child?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child?.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
  });
}, 90_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise((resolve) => child?.once('exit', resolve));
  await rm(modelDir, { recursive: true, force: true });
});

describe('npm run demo (offline)', () => {
  it('answers POST /api/v1/dspy/execute with 200 and typed outputs from the local ONNX model', async () => {
    const res = await fetch(`${baseUrl}/api/v1/dspy/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        signature: 'classify-ticket',
        inputs: { ticketText: 'I was charged twice this month.' },
      }),
    });
    const body = (await res.json()) as {
      outputs: Record<string, unknown>;
      provider: string;
      attempts: number;
    };
    expect(res.status).toBe(200);
    expect(body.provider).toBe('local-onnx');
    expect(body.attempts).toBe(1);
    expect(['billing', 'technical', 'account', 'feature-request', 'how-to', 'other']).toContain(
      body.outputs.ticketCategory,
    );
    expect(['low', 'normal', 'high', 'urgent']).toContain(body.outputs.ticketPriority);
    expect(typeof body.outputs.needsHuman).toBe('boolean');
  }, 60_000);

  it('reports the local deployment as healthy', async () => {
    const res = await fetch(`${baseUrl}/api/v1/providers/health`);
    const body = (await res.json()) as { deployments: { id: string; ok: boolean }[] };
    expect(body.deployments).toEqual([expect.objectContaining({ id: 'local-onnx', ok: true })]);
  });
});
