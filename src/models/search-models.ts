import type { ModelInfo } from './model-info.ts';

/** What to look for: free text plus capability filters; every given criterion must hold. */
export interface ModelQuery {
  /** Words that must all appear (case-insensitive) in the id, name, family, provider or quantization. */
  readonly text?: string;
  /** Only this provider (`ollama`, `onnx`, `openai`, ...). */
  readonly provider?: string;
  /** Only local (true) or only remote (false) models. */
  readonly local?: boolean;
  /** Only models with (true) or without (false) native tool calling. */
  readonly tools?: boolean;
  /** Only models that accept (true) or do not accept (false) images. */
  readonly vision?: boolean;
  /** Only embedding (true) or non-embedding (false) models. */
  readonly embeddings?: boolean;
  /** Only models with a known context of at least this many tokens. */
  readonly minContext?: number;
  /** Only models whose known memory estimate is at most this many bytes (remote models pass). */
  readonly maxMemoryBytes?: number;
}

function matchesFlag(value: boolean, wanted: boolean | undefined): boolean {
  return wanted === undefined || value === wanted;
}

/** The models matching `query`, in their original order. Pure. */
export function searchModels(models: readonly ModelInfo[], query: ModelQuery): ModelInfo[] {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return models.filter((model) => {
    if (query.provider !== undefined && model.provider !== query.provider) return false;
    if (!matchesFlag(model.local, query.local) || !matchesFlag(model.tools, query.tools)) return false;
    if (!matchesFlag(model.vision, query.vision) || !matchesFlag(model.embeddings, query.embeddings))
      return false;
    if (query.minContext !== undefined && (model.contextLength ?? 0) < query.minContext) return false;
    if (query.maxMemoryBytes !== undefined && model.local) {
      if (model.memoryBytes === undefined || model.memoryBytes > query.maxMemoryBytes) return false;
    }
    if (words.length === 0) return true;
    const haystack = [model.id, model.name, model.family, model.provider, model.quantization]
      .filter((part) => part !== undefined)
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
