import { afterEach, describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/errors/index.ts';
import {
  listOllamaModels,
  parseParameterSize,
  showOllamaModel,
  withDefaultTag,
} from '../../../src/providers/ollama/index.ts';
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

const showRoute = {
  method: 'POST' as const,
  path: '/api/show',
  reply: (request: { body: unknown }) => {
    const model = (request.body as { model?: string }).model;
    if (model === 'llama3.2:3b') return json(ollamaFixture('show-llama3.2-3b.json'));
    if (model === 'nomic-embed-text:latest') return json(ollamaFixture('show-nomic-embed-text.json'));
    return json({ error: `model '${model}' not found` }, 404);
  },
};

async function rejection(promise: Promise<unknown>): Promise<SignetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SignetError.is(error)) throw new Error(`expected a SignetError, got ${String(error)}`);
  return error;
}

describe('listOllamaModels', () => {
  it('lists installed models with family, size, quantization and parameter count, sorted by name', async () => {
    server = await startOllamaReplayServer([
      { method: 'GET', path: '/api/tags', reply: json(ollamaFixture('tags.json')) },
    ]);
    const models = await listOllamaModels({ host: server.url });
    expect(models.map((m) => m.name)).toEqual([
      'llama3.2:3b',
      'nomic-embed-text:latest',
      'qwen2.5:7b-instruct',
    ]);
    expect(models[0]).toEqual({
      name: 'llama3.2:3b',
      family: 'llama',
      families: ['llama'],
      format: 'gguf',
      parameterSize: '3.2B',
      parameterCount: 3_200_000_000,
      quantization: 'Q4_K_M',
      contextLength: undefined,
      embeddingLength: undefined,
      sizeBytes: 2019393189,
      modifiedAt: '2025-05-14T07:21:33.452Z',
      digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      capabilities: [],
    });
    expect(models[1]?.parameterCount).toBe(137_000_000);
    expect(server.requests).toEqual([{ method: 'GET', path: '/api/tags', body: undefined }]);
  });

  it('fills context length and capabilities from /api/show when asked for details', async () => {
    const tags = JSON.parse(ollamaFixture('tags.json')) as { models: { name: string }[] };
    tags.models = tags.models.filter((m) => m.name !== 'qwen2.5:7b-instruct');
    server = await startOllamaReplayServer([
      { method: 'GET', path: '/api/tags', reply: json(tags) },
      showRoute,
    ]);
    const models = await listOllamaModels({ host: server.url, details: true });
    expect(models.map((m) => [m.name, m.contextLength, m.capabilities, m.sizeBytes])).toEqual([
      ['llama3.2:3b', 131072, ['completion', 'tools'], 2019393189],
      ['nomic-embed-text:latest', 2048, ['embedding'], 274302450],
    ]);
  });

  it('fails with SIGNET_PROVIDER_UNAVAILABLE and says how to start Ollama when nothing listens', async () => {
    const error = await rejection(listOllamaModels({ host: await unusedLocalUrl() }));
    expect(error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('ollama serve');
    expect(error.message).toContain('OLLAMA_HOST');
  });

  it('reads the server address from OLLAMA_HOST when no host is given', async () => {
    server = await startOllamaReplayServer([
      { method: 'GET', path: '/api/tags', reply: json({ models: [] }) },
    ]);
    await expect(listOllamaModels({ env: { OLLAMA_HOST: server.url } })).resolves.toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('showOllamaModel', () => {
  it('parses family, exact parameter count, quantization and the trained context length', async () => {
    server = await startOllamaReplayServer([showRoute]);
    const model = await showOllamaModel('llama3.2:3b', { host: server.url });
    expect(model).toMatchObject({
      name: 'llama3.2:3b',
      family: 'llama',
      parameterSize: '3.2B',
      parameterCount: 3212749888,
      quantization: 'Q4_K_M',
      contextLength: 131072,
      embeddingLength: 3072,
      capabilities: ['completion', 'tools'],
      modifiedAt: '2025-05-14T07:21:33.452Z',
    });
    expect(server.requests[0]?.body).toEqual({ model: 'llama3.2:3b' });
  });

  it('fails with SIGNET_MODEL_NOT_FOUND and suggests ollama pull for a model that is not installed', async () => {
    server = await startOllamaReplayServer([showRoute]);
    const error = await rejection(showOllamaModel('mistral:7b', { host: server.url }));
    expect(error.code).toBe('SIGNET_MODEL_NOT_FOUND');
    expect(error.message).toContain("model 'mistral:7b' not found");
    expect(error.message).toContain('ollama pull mistral:7b');
    expect(error.details).toMatchObject({ provider: 'ollama', upstreamStatus: 404 });
  });
});

describe('model names and sizes', () => {
  it('parses Ollama parameter labels', () => {
    expect(parseParameterSize('3.2B')).toBe(3_200_000_000);
    expect(parseParameterSize('137M')).toBe(137_000_000);
    expect(parseParameterSize('8x7B')).toBe(56_000_000_000);
    expect(parseParameterSize('1.5T')).toBe(1_500_000_000_000);
    expect(parseParameterSize('unknown')).toBeUndefined();
    expect(parseParameterSize(undefined)).toBeUndefined();
  });

  it('adds the default :latest tag the way Ollama resolves names', () => {
    expect(withDefaultTag('llama3.2')).toBe('llama3.2:latest');
    expect(withDefaultTag('llama3.2:3b')).toBe('llama3.2:3b');
    expect(withDefaultTag('localhost:5000/team/model')).toBe('localhost:5000/team/model:latest');
  });
});
