import { createOllamaClient, resolveOllamaHost } from './ollama-connection.ts';
import { ollamaError } from './ollama-error.ts';
import { modelInfoFromTag, type OllamaModelInfo } from './ollama-model-info.ts';
import { describeOllamaModel, type OllamaModelQueryOptions } from './show-ollama-model.ts';
import { recordOf } from './wire-fields.ts';

/** Options of `listOllamaModels`. */
export interface ListOllamaModelsOptions extends OllamaModelQueryOptions {
  /** Also call `/api/show` per model to fill context length, capabilities and exact parameter count. */
  readonly details?: boolean | undefined;
}

/**
 * The models installed in an Ollama server (`GET /api/tags`), sorted by name. Fails with a signet
 * error: SIGNET_PROVIDER_UNAVAILABLE when the server cannot be reached, SIGNET_ABORTED on abort.
 */
export async function listOllamaModels(options: ListOllamaModelsOptions = {}): Promise<OllamaModelInfo[]> {
  const context = { host: resolveOllamaHost(options), signal: options.signal };
  let models: OllamaModelInfo[];
  try {
    const client = await createOllamaClient(options, options.signal);
    const listing: unknown = await client.list();
    const entries = recordOf(listing)?.models;
    models = (Array.isArray(entries) ? entries : [])
      .map(modelInfoFromTag)
      .filter((model): model is OllamaModelInfo => model !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw ollamaError(error, context);
  }
  if (options.details !== true) return models;
  // One at a time: /api/show reads model files, and a local server gains nothing from concurrency here.
  const detailed: OllamaModelInfo[] = [];
  for (const model of models) detailed.push(await describeOllamaModel(model.name, options, model));
  return detailed;
}
