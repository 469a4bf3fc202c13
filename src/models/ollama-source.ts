import { knownModelStrengths } from './known-model-strengths.ts';
import type { ModelInfo } from './model-info.ts';
import type { ModelSource } from './model-source.ts';

/**
 * One installed model as the injected lister returns it. Structurally a subset of the Ollama provider's
 * `OllamaModelInfo` (what `listOllamaModels` returns), so that function plugs in without this package
 * importing the provider.
 */
export interface OllamaModelListing {
  /** Name with tag, e.g. `llama3.2:3b` (`:latest` is added when the tag is missing). */
  readonly name: string;
  /** Architecture family, e.g. `llama`, `qwen2`, `nomic-bert`. */
  readonly family?: string | undefined;
  /** Every family involved (`["llama", "clip"]` for a vision model). */
  readonly families?: readonly string[] | undefined;
  /** Number of weights. */
  readonly parameterCount?: number | undefined;
  /** Weight format, e.g. `Q4_K_M`, `F16`. */
  readonly quantization?: string | undefined;
  /** Trained context length (from `/api/show`; undefined without it). */
  readonly contextLength?: number | undefined;
  /** Size of the weights in bytes; used as the memory estimate (the KV cache comes on top). */
  readonly sizeBytes?: number | undefined;
  /** `/api/show` capabilities (`completion`, `tools`, `vision`, `embedding`, ...); empty when unknown. */
  readonly capabilities?: readonly string[] | undefined;
}

/** Options of {@link ollamaSource}. */
export interface OllamaSourceOptions {
  /**
   * Lists installed models, e.g. `(signal) => listOllamaModels({ signal, details: true })` from the
   * Ollama provider (`details` fills context length and capabilities). Must honour `signal`.
   */
  readonly list: (signal: AbortSignal) => Promise<readonly OllamaModelListing[]>;
  /** Source id (default `ollama`). */
  readonly id?: string;
}

function withDefaultTag(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).includes(':') ? name : `${name}:latest`;
}

/**
 * Maps one listing to a {@link ModelInfo}. Without capabilities (no `/api/show`), tool calling is assumed
 * unsupported, embedding models are recognised by family (`*bert`) or name (`embed`), and vision by a
 * `clip`/`mllama` family.
 */
export function ollamaModelInfo(listing: OllamaModelListing, sourceId = 'ollama'): ModelInfo {
  const name = withDefaultTag(listing.name);
  const families = [listing.family ?? '', ...(listing.families ?? [])].map((f) => f.toLowerCase());
  const caps =
    listing.capabilities !== undefined && listing.capabilities.length > 0 ? listing.capabilities : undefined;
  const embeddings =
    caps?.includes('embedding') ?? (families.some((f) => f.includes('bert')) || /embed/i.test(name));
  return {
    id: `ollama:${name}`,
    provider: 'ollama',
    name,
    source: sourceId,
    family: listing.family,
    contextLength: listing.contextLength,
    parameterCount: listing.parameterCount,
    quantization: listing.quantization,
    memoryBytes: listing.sizeBytes !== undefined && listing.sizeBytes > 0 ? listing.sizeBytes : undefined,
    strengths: knownModelStrengths(name, listing.family, listing.parameterCount),
    chat: caps?.includes('completion') ?? !embeddings,
    tools: caps?.includes('tools') ?? false,
    vision: caps?.includes('vision') ?? families.some((f) => f === 'clip' || f === 'mllama'),
    embeddings,
    local: true,
    needsKey: false,
    keyPresent: true,
    keyEnv: undefined,
  };
}

/** Lists the models installed in an Ollama server through an injected lister (see {@link OllamaSourceOptions}). */
export function ollamaSource(options: OllamaSourceOptions): ModelSource {
  const id = options.id ?? 'ollama';
  return {
    id,
    async list(signal) {
      const listings = await options.list(signal);
      return listings.map((listing) => ollamaModelInfo(listing, id));
    },
  };
}
