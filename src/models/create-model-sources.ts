import { cloudModelsSource } from './cloud-models-source.ts';
import type { ModelsConfig } from './load-models-config.ts';
import type { ModelSource } from './model-source.ts';
import { type OllamaModelListing, ollamaSource } from './ollama-source.ts';
import { onnxFolderSource } from './onnx-folder-source.ts';

/** Lists an Ollama server's models; the app binds the Ollama provider's `listOllamaModels` here. */
export type OllamaLister = (
  signal: AbortSignal,
  host: string | undefined,
) => Promise<readonly OllamaModelListing[]>;

/** Options of {@link createModelSources}. */
export interface CreateModelSourcesOptions {
  /** Resolved config (which sources are enabled, ONNX folders, cloud models, Ollama host). */
  readonly config: ModelsConfig;
  /** Environment the cloud source checks keys in (usually `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ollama lister, e.g. `(signal, host) => listOllamaModels({ signal, host, details: true })`; no Ollama source without it. */
  readonly listOllama?: OllamaLister;
}

/**
 * The sources the config enables, in priority order: ONNX folders, Ollama, cloud. The ONNX folders are
 * the configured ones plus `SIGNET_LOCAL_MODEL` when it names a folder (the model `npm start` and
 * `npm run demo` serve), so roles can choose the local model wherever it lives.
 */
export function createModelSources(options: CreateModelSourcesOptions): ModelSource[] {
  const { config, listOllama } = options;
  const sources: ModelSource[] = [];
  const localModel = options.env.SIGNET_LOCAL_MODEL?.trim();
  const onnxDirs = [
    ...config.onnx.dirs,
    ...(localModel === undefined || localModel === '' ? [] : [localModel]),
  ];
  if (config.onnx.enabled && onnxDirs.length > 0) sources.push(onnxFolderSource({ dirs: onnxDirs }));
  if (config.ollama.enabled && listOllama !== undefined) {
    const host = config.ollama.host;
    sources.push(ollamaSource({ list: (signal) => listOllama(signal, host) }));
  }
  if (config.cloudModels.length > 0)
    sources.push(cloudModelsSource({ models: config.cloudModels, env: options.env }));
  return sources;
}
