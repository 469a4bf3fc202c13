/** What a model is good at, each from 0 (poor) to 1 (excellent). Heuristics unless configured. */
export interface ModelStrengths {
  /** Multi-step reasoning and planning. */
  readonly reasoning: number;
  /** Writing and reading code. */
  readonly coding: number;
  /** Fluent, well-structured prose. */
  readonly writing: number;
}

/** The names of the strengths, in display order. */
export const STRENGTH_NAMES = [
  'reasoning',
  'coding',
  'writing',
] as const satisfies readonly (keyof ModelStrengths)[];

/** One strength name. */
export type StrengthName = (typeof STRENGTH_NAMES)[number];

/** The strengths a partial value sets, dropping `undefined` members (zod's optional fields may hold them). */
export function definedStrengths(
  values: Partial<Record<StrengthName, number | undefined>> | undefined,
): Partial<ModelStrengths> {
  const out: { -readonly [K in StrengthName]?: number } = {};
  for (const name of STRENGTH_NAMES) {
    const value = values?.[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * A model some source can serve, with the capabilities the registry selects on. Unknown numbers are
 * `undefined` (never guessed as 0), so a role that requires them can say why a model was skipped.
 */
export interface ModelInfo {
  /** Stable id: `<provider>:<name>`, e.g. `ollama:llama3.2:3b`, `onnx:/abs/path`, `openai:gpt-4o-mini`. */
  readonly id: string;
  /** Provider that runs it: `ollama`, `onnx`, `openai`, `anthropic`, `gemini`, ... */
  readonly provider: string;
  /** Name the provider knows it by (Ollama tag, folder name, cloud model name). */
  readonly name: string;
  /** Id of the {@link ModelSource} that discovered it. */
  readonly source: string;
  /** Architecture family (`llama`, `qwen2`, `gpt2`, ...) when known. */
  readonly family: string | undefined;
  /** Context window in tokens. */
  readonly contextLength: number | undefined;
  /** Number of weights. */
  readonly parameterCount: number | undefined;
  /** Weight format, e.g. `Q4_K_M`, `fp16`, `q8`. */
  readonly quantization: string | undefined;
  /** Estimated memory the weights take when loaded, in bytes (local models only). */
  readonly memoryBytes: number | undefined;
  /** Heuristic strengths, 0-1 (see known-model-strengths.ts), or configured ones. */
  readonly strengths: ModelStrengths;
  /** Whether it generates text (chat/completion). */
  readonly chat: boolean;
  /** Whether it supports native tool calling. */
  readonly tools: boolean;
  /** Whether it accepts images. */
  readonly vision: boolean;
  /** Whether it produces embeddings. */
  readonly embeddings: boolean;
  /** True when it runs on this machine (prompts never leave it). */
  readonly local: boolean;
  /** Whether an API key is needed to use it. */
  readonly needsKey: boolean;
  /** Whether the needed key is set (always true when none is needed). The key itself is never stored. */
  readonly keyPresent: boolean;
  /** Name of the environment variable holding the key, when one is needed (e.g. `OPENAI_API_KEY`). */
  readonly keyEnv: string | undefined;
}
