import type { ModelInfo } from './model-info.ts';

/**
 * Discovers models in one place (an Ollama daemon, ONNX folders, configured cloud models). The catalog
 * caches and merges sources; a source only lists. Implementations must not read secrets into results.
 */
export interface ModelSource {
  /** Stable id used in listings and error reports (`ollama`, `onnx`, `cloud`). */
  readonly id: string;
  /** Lists the models available now. Rejects when discovery fails; stops waiting when `signal` aborts. */
  list(signal: AbortSignal): Promise<readonly ModelInfo[]>;
}
