import { createOllamaProvider } from './create-ollama-provider.ts';
import type { OllamaProvider, OllamaProviderOptions } from './ollama-provider-options.ts';
import { showOllamaModel } from './show-ollama-model.ts';

/**
 * `createOllamaProvider` after asking the server about the model (`/api/show`), so the provider
 * declares the real context window and tool/vision/thinking support. Fails with
 * SIGNET_MODEL_NOT_FOUND when the model is not installed, SIGNET_PROVIDER_UNAVAILABLE when Ollama is
 * not running.
 */
export async function openOllamaProvider(
  options: OllamaProviderOptions & { readonly signal?: AbortSignal | undefined },
): Promise<OllamaProvider> {
  const { signal, ...providerOptions } = options;
  const modelInfo =
    options.modelInfo ?? (await showOllamaModel(options.model, { ...providerOptions, signal }));
  return createOllamaProvider({ ...providerOptions, modelInfo });
}
