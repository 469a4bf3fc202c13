import { createOllamaClient, type OllamaConnectionOptions, resolveOllamaHost } from './ollama-connection.ts';
import { ollamaError } from './ollama-error.ts';
import { modelInfoFromShow, type OllamaModelInfo } from './ollama-model-info.ts';

/** Options of `listOllamaModels` and `showOllamaModel`. */
export interface OllamaModelQueryOptions extends OllamaConnectionOptions {
  /** Cancels the request(s). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Details of one installed model (`POST /api/show`): family, parameter count, quantization, trained
 * context length, capabilities. Fails with SIGNET_MODEL_NOT_FOUND when it is not installed.
 */
export function showOllamaModel(
  name: string,
  options: OllamaModelQueryOptions = {},
): Promise<OllamaModelInfo> {
  return describeOllamaModel(name, options, undefined);
}

/** `showOllamaModel`, completing a `/api/tags` entry (size, digest) with the details. */
export async function describeOllamaModel(
  name: string,
  options: OllamaModelQueryOptions,
  base: OllamaModelInfo | undefined,
): Promise<OllamaModelInfo> {
  const context = { host: resolveOllamaHost(options), model: name, signal: options.signal };
  try {
    const client = await createOllamaClient(options, options.signal);
    const show: unknown = await client.show({ model: name });
    return modelInfoFromShow(name, show, base);
  } catch (error) {
    throw ollamaError(error, context);
  }
}
