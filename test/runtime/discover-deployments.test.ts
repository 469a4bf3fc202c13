import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverDeployments } from '../../src/runtime/index.ts';
import { generateTinyCausalLM } from '../../src/testing/index.ts';
import {
  json,
  ollamaFixture,
  startOllamaReplayServer,
  unusedLocalUrl,
} from '../helpers/ollama-replay-server.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-discover-'));
  await generateTinyCausalLM({ dir: join(root, 'models', 'tiny') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('discoverDeployments', () => {
  it('finds nothing on a bare machine and says how to add each provider', async () => {
    const found = await discoverDeployments({ root: join(root, 'empty'), env: { SIGNET_OLLAMA: 'off' } });
    expect(found.deployments).toEqual([]);
    const notes = found.notes.join('\n');
    expect(notes).toContain('npm run demo');
    expect(notes).toContain('OPENAI_API_KEY');
    await found.close();
  });

  it('puts a local ONNX model folder first and cloud models with keys after it, never printing keys', async () => {
    const found = await discoverDeployments({
      root,
      env: { SIGNET_OLLAMA: 'off', OPENAI_API_KEY: 'sk-secret-123' },
    });
    expect(found.deployments.map((d) => d.id)).toEqual(['local-onnx', 'cloud-openai']);
    expect(found.notes.join('\n')).toMatch(/local onnx: .*tiny on cpu\/fp32/);
    expect(found.notes.join('\n')).toContain('gpt-4o-mini');
    expect(found.notes.join('\n')).not.toContain('sk-secret-123');
    // The router's bulkhead admits what the provider declares: the local engine's batch capacity, so
    // concurrent executions reach it together and share batches instead of queueing one by one.
    const local = found.deployments[0]?.ai;
    const capabilities = local !== undefined && 'capabilities' in local ? local.capabilities : undefined;
    expect((capabilities as { maxConcurrency?: number } | undefined)?.maxConcurrency).toBeGreaterThanOrEqual(
      8,
    );
    await found.close();
  });

  it('uses Ollama when it answers, with its first chat model', async () => {
    const server = await startOllamaReplayServer([
      { method: 'GET', path: '/api/tags', reply: json(ollamaFixture('tags.json')) },
    ]);
    try {
      const found = await discoverDeployments({
        root: join(root, 'empty'),
        env: { OLLAMA_HOST: server.url },
      });
      expect(found.deployments.map((d) => d.id)).toEqual(['ollama']);
      expect(found.notes.find((n) => n.startsWith('ollama:'))).toMatch(/ollama: \S+/);
      await found.close();
    } finally {
      await server.close();
    }
  });

  it('notes an unreachable Ollama instead of failing', async () => {
    const found = await discoverDeployments({
      root: join(root, 'empty'),
      env: { OLLAMA_HOST: await unusedLocalUrl() },
    });
    expect(found.deployments).toEqual([]);
    expect(found.notes.join('\n')).toContain('ollama serve');
  });
});
