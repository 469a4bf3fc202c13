/** Where a provider runs its models. */
export type ProviderRuntime =
  | 'onnx'
  | 'ollama'
  | 'openai'
  | 'anthropic'
  | 'gemini'
  | 'huggingface'
  | 'openai-compatible'
  | 'scripted';

/** Compute device a provider uses (cloud providers report `remote`). */
export type ProviderDevice = 'cpu' | 'cuda' | 'coreml' | 'dml' | 'webgpu' | 'metal' | 'remote';

/**
 * What a provider can do, declared as data so the model registry and router can score providers
 * against a request without calling them. Version 1 of the provider contract.
 */
export interface ProviderCapabilities {
  /** Engine behind the provider. */
  readonly runtime: ProviderRuntime;
  /** Device the models run on. */
  readonly device: ProviderDevice;
  /** Whether chat can stream tokens. */
  readonly streaming: boolean;
  /** Whether the provider can force output to follow a JSON Schema (constrained decoding or native mode). */
  readonly structuredOutput: boolean;
  /** Whether native tool/function calling is supported. */
  readonly tools: boolean;
  /** Whether `embed()` works. */
  readonly embeddings: boolean;
  /** Context window of the default model, in tokens. */
  readonly contextWindow: number;
  /** Requests the provider handles at once before queueing (1 for a single in-process model). */
  readonly maxConcurrency: number;
  /** True when the provider runs on this machine (no network egress for prompts). */
  readonly local: boolean;
}
