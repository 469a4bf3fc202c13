import { afterEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../../src/providers/ollama/index.ts';
import {
  json,
  type OllamaReplayServer,
  ollamaFixture,
  startOllamaReplayServer,
  unusedLocalUrl,
} from '../../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tagsRoute = { method: 'GET' as const, path: '/api/tags', reply: json(ollamaFixture('tags.json')) };

describe('Ollama provider health', () => {
  it('is ok when Ollama answers and the model is installed', async () => {
    server = await startOllamaReplayServer([tagsRoute]);
    const health = await createOllamaProvider({ host: server.url, model: 'llama3.2:3b' }).health();
    expect(health.ok).toBe(true);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toEqual([{ method: 'GET', path: '/api/tags', body: undefined }]);
  });

  it('matches a model name without a tag against :latest', async () => {
    server = await startOllamaReplayServer([tagsRoute]);
    const health = await createOllamaProvider({ host: server.url, model: 'nomic-embed-text' }).health();
    expect(health.ok).toBe(true);
  });

  it('is not ok, and says to pull it, when the model is not installed', async () => {
    server = await startOllamaReplayServer([tagsRoute]);
    const health = await createOllamaProvider({ host: server.url, model: 'mistral:7b' }).health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain('ollama pull mistral:7b');
  });

  it('is not ok, without throwing, when nothing listens', async () => {
    const health = await createOllamaProvider({
      host: await unusedLocalUrl(),
      model: 'llama3.2:3b',
    }).health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain('ollama serve');
  });

  it('gives up on a hung server after its timeout', async () => {
    server = await startOllamaReplayServer([{ method: 'GET', path: '/api/tags', reply: { kind: 'hang' } }]);
    const ai = createOllamaProvider({ host: server.url, model: 'llama3.2:3b', healthTimeoutMs: 50 });
    const health = await ai.health();
    expect(health.ok).toBe(false);
    expect(health.message).toMatch(/no answer/);
    await server.clientDisconnects(1);
  });
});
