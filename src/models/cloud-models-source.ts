import { knownModelStrengths } from './known-model-strengths.ts';
import type { ModelInfo, ModelStrengths } from './model-info.ts';
import type { ModelSource } from './model-source.ts';

/** A cloud model declared in the config (`cloudModels` in config/models.json). */
export interface CloudModelSpec {
  /** `<provider>:<name>`, e.g. `openai:gpt-4o-mini`. */
  readonly id: string;
  /** Provider part of the id. */
  readonly provider: string;
  /** Model name part of the id. */
  readonly name: string;
  /** Environment variables that may hold the API key, tried in order (e.g. `GEMINI_API_KEY`, `GOOGLE_API_KEY`). */
  readonly keyEnv: readonly string[];
  /** Context window in tokens, when known. */
  readonly contextLength: number | undefined;
  /** Whether it generates text. */
  readonly chat: boolean;
  /** Whether it supports native tool calling. */
  readonly tools: boolean;
  /** Whether it accepts images. */
  readonly vision: boolean;
  /** Whether it produces embeddings. */
  readonly embeddings: boolean;
  /** Configured strengths; missing ones come from the known-family heuristics. */
  readonly strengths: Partial<ModelStrengths> | undefined;
}

/** Options of {@link cloudModelsSource}. */
export interface CloudModelsSourceOptions {
  /** Models from the config. */
  readonly models: readonly CloudModelSpec[];
  /** Environment to look keys up in (usually `process.env`); read at each listing. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Also list models whose key is missing (with `keyPresent: false`); default false. */
  readonly includeWithoutKey?: boolean;
  /** Source id (default `cloud`). */
  readonly id?: string;
}

/**
 * Key variables of the cloud providers signet ships (the same as the cloud provider's own list); other
 * providers must name `keyEnv` in the config.
 */
export const DEFAULT_KEY_ENV: Readonly<Record<string, readonly string[]>> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  huggingface: ['HF_TOKEN'],
  'openai-compatible': ['OPENAI_COMPATIBLE_API_KEY'],
};

/**
 * Lists the configured cloud models whose API key variable (any of `keyEnv`) is set and non-empty. Only the variable's name
 * ends up in the results, never its value.
 */
export function cloudModelsSource(options: CloudModelsSourceOptions): ModelSource {
  const id = options.id ?? 'cloud';
  return {
    id,
    async list(signal) {
      signal.throwIfAborted();
      const found: ModelInfo[] = [];
      for (const spec of options.models) {
        const present = spec.keyEnv.find((name) => (options.env[name] ?? '').trim() !== '');
        const keyPresent = present !== undefined;
        if (!keyPresent && options.includeWithoutKey !== true) continue;
        found.push({
          id: spec.id,
          provider: spec.provider,
          name: spec.name,
          source: id,
          family: undefined,
          contextLength: spec.contextLength,
          parameterCount: undefined,
          quantization: undefined,
          memoryBytes: undefined,
          strengths: { ...knownModelStrengths(spec.name), ...spec.strengths },
          chat: spec.chat,
          tools: spec.tools,
          vision: spec.vision,
          embeddings: spec.embeddings,
          local: false,
          needsKey: true,
          keyPresent,
          keyEnv: present ?? spec.keyEnv[0],
        });
      }
      return found;
    },
  };
}
