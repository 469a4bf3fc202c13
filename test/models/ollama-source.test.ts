import { afterEach, describe, expect, it } from 'vitest';
import { type OllamaModelListing, ollamaModelInfo, ollamaSource } from '../../src/models/ollama-source.ts';
import { listOllamaModels, type OllamaModelInfo } from '../../src/providers/ollama/index.ts';
import {
  json,
  type OllamaReplayServer,
  ollamaFixture,
  startOllamaReplayServer,
} from '../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const signal = new AbortController().signal;

describe('ollamaSource', () => {
  it('maps the Ollama provider listing with /api/show details (recorded wire format)', async () => {
    const tags = JSON.parse(ollamaFixture('tags.json')) as { models: { name: string }[] };
    tags.models = tags.models.filter((m) => m.name !== 'qwen2.5:7b-instruct'); // no recorded /api/show for it
    server = await startOllamaReplayServer([
      { method: 'GET', path: '/api/tags', reply: json(tags) },
      {
        method: 'POST',
        path: '/api/show',
        reply: (request) => {
          const model = (request.body as { model?: string }).model;
          if (model === 'llama3.2:3b') return json(ollamaFixture('show-llama3.2-3b.json'));
          return json(ollamaFixture('show-nomic-embed-text.json'));
        },
      },
    ]);
    const host = server.url;
    const source = ollamaSource({ list: (s) => listOllamaModels({ host, signal: s, details: true }) });
    const byId = new Map((await source.list(signal)).map((m) => [m.id, m]));
    expect(byId.get('ollama:llama3.2:3b')).toMatchObject({
      provider: 'ollama',
      name: 'llama3.2:3b',
      source: 'ollama',
      family: 'llama',
      contextLength: 131072,
      parameterCount: expect.any(Number),
      quantization: 'Q4_K_M',
      memoryBytes: 2019393189,
      chat: true,
      tools: true,
      embeddings: false,
      local: true,
      needsKey: false,
    });
    expect(byId.get('ollama:nomic-embed-text:latest')).toMatchObject({
      chat: false,
      embeddings: true,
      contextLength: 2048,
    });
  });

  it('maps a plain /api/tags listing, leaving what only /api/show knows unknown', async () => {
    server = await startOllamaReplayServer([
      { method: 'GET', path: '/api/tags', reply: json(ollamaFixture('tags.json')) },
    ]);
    const host = server.url;
    const models = await ollamaSource({ list: (s) => listOllamaModels({ host, signal: s }) }).list(signal);
    const byId = new Map(models.map((m) => [m.id, m]));
    expect(byId.get('ollama:qwen2.5:7b-instruct')).toMatchObject({
      family: 'qwen2',
      parameterCount: 7.6e9,
      contextLength: undefined,
      tools: false,
      chat: true,
      memoryBytes: 4683087332,
    });
    expect(byId.get('ollama:nomic-embed-text:latest')).toMatchObject({ embeddings: true, chat: false });
  });

  it('accepts the provider type as its listing type', () => {
    const fromProvider: OllamaModelInfo = {
      name: 'x',
      family: undefined,
      families: [],
      format: undefined,
      parameterSize: undefined,
      parameterCount: undefined,
      quantization: undefined,
      contextLength: undefined,
      embeddingLength: undefined,
      sizeBytes: undefined,
      modifiedAt: undefined,
      digest: undefined,
      capabilities: [],
    };
    const listing: OllamaModelListing = fromProvider;
    expect(ollamaModelInfo(listing).id).toBe('ollama:x:latest');
  });

  it('recognises embedding and vision models by family when capabilities are unknown', () => {
    expect(ollamaModelInfo({ name: 'nomic-embed-text', family: 'nomic-bert' })).toMatchObject({
      id: 'ollama:nomic-embed-text:latest',
      embeddings: true,
      chat: false,
    });
    expect(ollamaModelInfo({ name: 'llava:7b', family: 'llama', families: ['llama', 'clip'] }).vision).toBe(
      true,
    );
    expect(ollamaModelInfo({ name: 'library/mistral' }).id).toBe('ollama:library/mistral:latest');
  });

  it('scales heuristic strengths with parameter count', () => {
    const small = ollamaModelInfo({ name: 'llama3.2:1b', family: 'llama', parameterCount: 1.2e9 });
    const large = ollamaModelInfo({ name: 'llama3.3:70b', family: 'llama', parameterCount: 70e9 });
    expect(small.strengths.reasoning).toBeLessThan(large.strengths.reasoning);
  });

  it('passes the signal to the lister and lets its failure through', async () => {
    let seen: AbortSignal | undefined;
    const source = ollamaSource({
      list: async (s) => {
        seen = s;
        throw new Error('connect ECONNREFUSED');
      },
    });
    await expect(source.list(signal)).rejects.toThrow('ECONNREFUSED');
    expect(seen).toBe(signal);
  });
});
