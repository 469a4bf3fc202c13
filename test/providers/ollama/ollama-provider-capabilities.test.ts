import { afterEach, describe, expect, it } from 'vitest';
import {
  createOllamaProvider,
  defaultOllamaDevice,
  OLLAMA_DEFAULT_NUM_CTX,
  openOllamaProvider,
  showOllamaModel,
} from '../../../src/providers/ollama/index.ts';
import {
  json,
  type OllamaReplayServer,
  ollamaFixture,
  startOllamaReplayServer,
} from '../../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const showRoute = {
  method: 'POST' as const,
  path: '/api/show',
  reply: json(ollamaFixture('show-llama3.2-3b.json')),
};

describe('Ollama provider capabilities', () => {
  it('declares a local Ollama runtime with Ollama defaults when nothing is known about the model', () => {
    const ai = createOllamaProvider({ model: 'llama3.2:3b', env: {} });
    expect(ai.host).toBe('http://127.0.0.1:11434');
    expect(ai.capabilities).toEqual({
      runtime: 'ollama',
      device: defaultOllamaDevice(),
      streaming: true,
      structuredOutput: true,
      tools: true,
      embeddings: false,
      contextWindow: OLLAMA_DEFAULT_NUM_CTX,
      maxConcurrency: 4,
      local: true,
    });
  });

  it('runs as many requests at once as the environment tells Ollama to (OLLAMA_NUM_PARALLEL)', () => {
    const parallel = (env: Record<string, string>) =>
      createOllamaProvider({ model: 'llama3.2:3b', env }).capabilities.maxConcurrency;
    expect(parallel({ OLLAMA_NUM_PARALLEL: '2' })).toBe(2);
    expect(parallel({ OLLAMA_NUM_PARALLEL: 'lots' })).toBe(4);
    expect(
      createOllamaProvider({ model: 'm', env: { OLLAMA_NUM_PARALLEL: '2' }, maxConcurrency: 6 }).capabilities
        .maxConcurrency,
    ).toBe(6);
  });

  it('reports metal on Apple silicon and cpu elsewhere', () => {
    expect(defaultOllamaDevice('darwin', 'arm64')).toBe('metal');
    expect(defaultOllamaDevice('linux', 'x64')).toBe('cpu');
    expect(defaultOllamaDevice('darwin', 'x64')).toBe('cpu');
  });

  it('caps the context window at what the model supports, as reported by /api/show', async () => {
    server = await startOllamaReplayServer([showRoute]);
    const modelInfo = await showOllamaModel('llama3.2:3b', { host: server.url });
    expect(createOllamaProvider({ model: 'llama3.2:3b', modelInfo }).capabilities.contextWindow).toBe(4096);
    expect(
      createOllamaProvider({ model: 'llama3.2:3b', modelInfo, numCtx: 32768 }).capabilities.contextWindow,
    ).toBe(32768);
    expect(
      createOllamaProvider({ model: 'llama3.2:3b', modelInfo, numCtx: 262144 }).capabilities.contextWindow,
    ).toBe(131072);
  });

  it('takes tool, vision and thinking support from the model capabilities', async () => {
    server = await startOllamaReplayServer([showRoute]);
    const ai = await openOllamaProvider({ host: server.url, model: 'llama3.2:3b', numCtx: 16384 });
    expect(ai.capabilities).toMatchObject({ tools: true, contextWindow: 16384 });
    const features = ai.getFeatures();
    expect(features).toMatchObject({ functions: true, thinking: false });
    expect(features.media.images.supported).toBe(false);
    const embedder = createOllamaProvider({
      model: 'nomic-embed-text',
      modelInfo: {
        ...(await showOllamaModel('llama3.2:3b', { host: server.url })),
        capabilities: ['embedding'],
      },
    });
    expect(embedder.capabilities).toMatchObject({ tools: false, embeddings: true });
  });

  it('advertises native JSON Schema output only while structured output uses the schema', () => {
    const schema = createOllamaProvider({ model: 'llama3.2:3b' });
    const off = createOllamaProvider({ model: 'llama3.2:3b', structuredOutput: 'off' });
    expect(schema.getFeatures().structuredOutputModes).toEqual(['native', 'json_object']);
    expect(off.getFeatures().structuredOutputModes).toEqual(['json_object']);
    expect(off.capabilities.structuredOutput).toBe(false);
  });

  it('fails to open a provider for a model that is not installed', async () => {
    server = await startOllamaReplayServer([
      { method: 'POST', path: '/api/show', reply: json(ollamaFixture('error-show-not-found.json'), 404) },
    ]);
    await expect(openOllamaProvider({ host: server.url, model: 'mistral:7b' })).rejects.toMatchObject({
      code: 'SIGNET_MODEL_NOT_FOUND',
    });
  });
});
