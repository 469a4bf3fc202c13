export { checkOllamaHealth, type OllamaHealthOptions } from './check-ollama-health.ts';
export {
  createOllamaProvider,
  defaultOllamaDevice,
  OLLAMA_DEFAULT_NUM_CTX,
} from './create-ollama-provider.ts';
export { type ListOllamaModelsOptions, listOllamaModels } from './list-ollama-models.ts';
export { DEFAULT_OLLAMA_HOST, type OllamaConnectionOptions, resolveOllamaHost } from './ollama-connection.ts';
export type { OllamaStructuredOutput } from './ollama-format.ts';
export { type OllamaModelInfo, parseParameterSize, withDefaultTag } from './ollama-model-info.ts';
export type { OllamaProvider, OllamaProviderOptions } from './ollama-provider-options.ts';
export { type OllamaTimings, readOllamaTimings } from './ollama-timings.ts';
export { openOllamaProvider } from './open-ollama-provider.ts';
export { type OllamaModelQueryOptions, showOllamaModel } from './show-ollama-model.ts';
