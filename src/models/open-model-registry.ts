import { type CreateModelSourcesOptions, createModelSources } from './create-model-sources.ts';
import { type LoadModelsConfigOptions, loadModelsConfig, type ModelsConfig } from './load-models-config.ts';
import { createModelCatalog, type ModelCatalog } from './model-catalog.ts';
import { createModelRegistry, type ModelRegistry } from './model-registry.ts';

/** Options of {@link openModelRegistry}. */
export interface OpenModelRegistryOptions extends LoadModelsConfigOptions {
  /** Environment for `SIGNET_*` overrides and cloud keys (default: none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Ollama lister (see `createModelSources`); Ollama is not discovered without it. */
  readonly listOllama?: CreateModelSourcesOptions['listOllama'];
}

/** Everything the model commands and the server need: the config, a catalog and a registry over it. */
export interface OpenedModelRegistry {
  /** Resolved configuration. */
  readonly config: ModelsConfig;
  /** Cached catalog over the enabled sources. */
  readonly catalog: ModelCatalog;
  /** Role selection, profiles and runtime switches. */
  readonly registry: ModelRegistry;
}

/** Loads the config from `configDir` and builds sources, catalog and registry from it. */
export async function openModelRegistry(options: OpenModelRegistryOptions): Promise<OpenedModelRegistry> {
  const env = options.env ?? {};
  const config = await loadModelsConfig({ ...options, env });
  const sources = createModelSources({
    config,
    env,
    ...(options.listOllama === undefined ? {} : { listOllama: options.listOllama }),
  });
  const catalog = createModelCatalog({ sources, ttlMs: config.cacheTtlMs });
  return { config, catalog, registry: createModelRegistry({ catalog, config }) };
}
