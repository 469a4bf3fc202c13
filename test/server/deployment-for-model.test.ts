import { describe, expect, it } from 'vitest';
import { deploymentForModel, servingDeployment } from '../../server/providers/deployment-for-model.ts';
import { defineProvider } from '../../src/index.ts';
import { createCloudProvider } from '../../src/providers/cloud/index.ts';
import { createOllamaProvider } from '../../src/providers/ollama/index.ts';
import type { ProviderRuntime } from '../../src/providers/shared/provider-capabilities.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { fakeModel } from '../models/model-fixtures.ts';

/** A provider that declares a runtime and default model; it is never called here. */
function provider(runtime: ProviderRuntime, model: string) {
  return defineProvider({
    name: runtime,
    model,
    capabilities: {
      runtime,
      device: 'cpu',
      streaming: false,
      structuredOutput: false,
      tools: false,
      embeddings: false,
      contextWindow: 8192,
      maxConcurrency: 1,
      local: true,
    },
    chat: async () => ({ results: [{ index: 0, content: '' }] }),
    health: async () => ({ ok: true }),
  });
}

/** An ONNX folder as the folder source lists it: id `onnx:<path>`, name the folder's base name. */
function onnxFolder(path: string) {
  return fakeModel(`onnx:${path}`, { name: path.slice(path.lastIndexOf('/') + 1) });
}

describe('deploymentForModel', () => {
  const serving = [
    servingDeployment({ id: 'local-onnx', ai: provider('onnx', 'tiny-gpt2') }),
    servingDeployment({ id: 'ollama', ai: createOllamaProvider({ model: 'llama3.2:1b' }) }),
    servingDeployment({
      id: 'cloud-openai',
      ai: createCloudProvider({ kind: 'openai', model: 'gpt-4o-mini', env: { OPENAI_API_KEY: 'sk-test' } }),
    }),
  ];

  it('serves any Ollama or cloud model on the deployment whose runtime is the model provider', () => {
    expect(deploymentForModel(fakeModel('ollama:qwen3:8b'), serving)?.id).toBe('ollama');
    expect(deploymentForModel(fakeModel('openai:gpt-4o'), serving)?.id).toBe('cloud-openai');
    expect(deploymentForModel(fakeModel('anthropic:claude-3-5-haiku-latest'), serving)).toBeUndefined();
  });

  it('serves an ONNX folder only on the deployment that loaded that very model', () => {
    expect(deploymentForModel(onnxFolder('/m/tiny-gpt2'), serving)?.id).toBe('local-onnx');
    expect(deploymentForModel(onnxFolder('/m/other-model'), serving)).toBeUndefined();
    const hub = [servingDeployment({ id: 'local-onnx', ai: provider('onnx', 'onnx-community/Qwen2.5') })];
    expect(deploymentForModel(onnxFolder('/m/onnx-community/Qwen2.5'), hub)?.id).toBe('local-onnx');
  });

  it('treats a deployment with a fixed model as serving only that model', () => {
    const fixed = [
      { id: 'pinned', ai: createOllamaProvider({ model: 'llama3.2:1b' }), model: 'llama3.2:1b' },
    ];
    const pinned = fixed.map(servingDeployment);
    expect(deploymentForModel(fakeModel('ollama:llama3.2:1b'), pinned)?.id).toBe('pinned');
    expect(deploymentForModel(fakeModel('ollama:qwen3:8b'), pinned)).toBeUndefined();
  });

  it('maps nothing to a provider that declares no runtime', () => {
    const plain = [servingDeployment({ id: 'plain', ai: createScriptedProvider() })];
    expect(plain[0]?.runtime).toBeUndefined();
    expect(deploymentForModel(fakeModel('ollama:llama3.2:1b'), plain)).toBeUndefined();
  });

  it("reads a deployment's default model from the provider, not its id", () => {
    expect(serving.map((s) => [s.id, s.runtime, s.model, s.singleModel])).toEqual([
      ['local-onnx', 'onnx', 'tiny-gpt2', true],
      ['ollama', 'ollama', 'llama3.2:1b', false],
      ['cloud-openai', 'openai', 'gpt-4o-mini', false],
    ]);
  });
});
