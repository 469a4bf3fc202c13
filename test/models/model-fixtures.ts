import type { ModelInfo } from '../../src/models/model-info.ts';
import type { ModelSource } from '../../src/models/model-source.ts';

/** A local chat model with everything known; override what a test is about. */
export function fakeModel(id: string, overrides: Partial<ModelInfo> = {}): ModelInfo {
  const colon = id.indexOf(':');
  return {
    id,
    provider: id.slice(0, colon),
    name: id.slice(colon + 1),
    source: 'test',
    family: undefined,
    contextLength: 32768,
    parameterCount: 7e9,
    quantization: 'Q4_K_M',
    memoryBytes: 4e9,
    strengths: { reasoning: 0.6, coding: 0.6, writing: 0.6 },
    chat: true,
    tools: true,
    vision: false,
    embeddings: false,
    local: true,
    needsKey: false,
    keyPresent: true,
    keyEnv: undefined,
    ...overrides,
  };
}

/** An in-memory source that counts calls; `next` decides what each call does. */
export function countingSource(
  id: string,
  next: (call: number, signal: AbortSignal) => Promise<readonly ModelInfo[]>,
): ModelSource & { readonly calls: () => number } {
  let calls = 0;
  return {
    id,
    calls: () => calls,
    list(signal) {
      calls += 1;
      return next(calls, signal);
    },
  };
}
