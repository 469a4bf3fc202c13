import type { ModelInfo, ModelSource } from '../../src/models/index.ts';
import { createSeededRandom } from '../../src/testing/index.ts';

const FAMILIES = [
  { provider: 'ollama', name: 'qwen2.5-coder', local: true },
  { provider: 'ollama', name: 'llama3.2', local: true },
  { provider: 'ollama', name: 'mistral', local: true },
  { provider: 'onnx', name: 'phi-3-mini', local: true },
  { provider: 'openai', name: 'gpt-4o-mini', local: false },
  { provider: 'anthropic', name: 'claude-3-5-haiku', local: false },
  { provider: 'gemini', name: 'gemini-2.0-flash', local: false },
] as const;
const CONTEXTS = [2048, 4096, 8192, 16_384, 32_768, 131_072, undefined] as const;

/**
 * `count` deterministic, varied models (a fixed seed): seven families across local and cloud providers,
 * contexts from 2K to 128K (some unknown), about 60% with tool calling, 10% embedding-only, cloud models
 * with and without their key, random strengths. Enough variety that every requirement check and the
 * preferred-pattern ranking of a role have work to do.
 */
export function syntheticModels(count: number, seed = 7): ModelInfo[] {
  const random = createSeededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
  const strength = () => Math.round((0.2 + random.next() * 0.75) * 100) / 100;
  return Array.from({ length: count }, (_, i): ModelInfo => {
    const family = pick(FAMILIES);
    const name = `${family.name}:${1 + (i % 70)}b-v${i}`;
    const embeddings = random.next() < 0.1;
    const needsKey = !family.local;
    return {
      id: `${family.provider}:${name}`,
      provider: family.provider,
      name,
      source: 'synthetic',
      family: family.name,
      contextLength: pick(CONTEXTS),
      parameterCount: (1 + (i % 70)) * 1e9,
      quantization: family.local ? 'Q4_K_M' : undefined,
      memoryBytes: family.local ? (1 + (i % 70)) * 6e8 : undefined,
      strengths: { reasoning: strength(), coding: strength(), writing: strength() },
      chat: !embeddings,
      tools: !embeddings && random.next() < 0.6,
      vision: random.next() < 0.2,
      embeddings,
      local: family.local,
      needsKey,
      keyPresent: !needsKey || random.next() < 0.5,
      keyEnv: needsKey ? `${family.provider.toUpperCase()}_API_KEY` : undefined,
    };
  });
}

/** A model source that lists the given models at once, as a daemon with a warm answer would. */
export function staticModelSource(models: readonly ModelInfo[]): ModelSource {
  return { id: 'synthetic', list: async () => models };
}
