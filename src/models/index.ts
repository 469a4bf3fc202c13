/** Model registry: discovery across sources, cached catalog, roles, profiles and layered config. */
export { applyModelOverrides } from './apply-model-overrides.ts';
export { formatByteSize, parseByteSize } from './byte-size.ts';
export {
  type CloudModelSpec,
  type CloudModelsSourceOptions,
  cloudModelsSource,
  DEFAULT_KEY_ENV,
} from './cloud-models-source.ts';
export {
  type CreateModelSourcesOptions,
  createModelSources,
  type OllamaLister,
} from './create-model-sources.ts';
export {
  describeRequirements,
  formatRoleChoice,
  MODEL_TABLE_HEADERS,
  modelTableRow,
} from './format-models.ts';
export {
  DEFAULT_STRENGTH,
  type KnownModelFamily,
  knownModelFamilies,
  knownModelStrengths,
  matchKnownFamily,
} from './known-model-strengths.ts';
export {
  CONFIG_FILES,
  type LoadModelsConfigOptions,
  loadModelsConfig,
  type ModelsConfig,
  type ResolveModelsConfigOptions,
  resolveModelsConfig,
} from './load-models-config.ts';
export { type ConfigLayer, mergeConfigLayers } from './merge-config-layers.ts';
export {
  type CatalogCallOptions,
  createModelCatalog,
  type ModelCatalog,
  type ModelCatalogOptions,
  type ModelListing,
  type SourceFailure,
} from './model-catalog.ts';
export {
  definedStrengths,
  type ModelInfo,
  type ModelStrengths,
  STRENGTH_NAMES,
  type StrengthName,
} from './model-info.ts';
export {
  createModelRegistry,
  type ModelRegistry,
  type ModelRegistryOptions,
  type ProfileSummary,
  type RoleChoice,
} from './model-registry.ts';
export type { ModelSource } from './model-source.ts';
export {
  type CloudModelConfig,
  type ModelOverride,
  type ModelsConfigFile,
  modelsConfigFileSchema,
  type ProfileConfig,
  type RoleConfig,
} from './models-config.ts';
export {
  type OllamaModelListing,
  type OllamaSourceOptions,
  ollamaModelInfo,
  ollamaSource,
} from './ollama-source.ts';
export { type OnnxFolderSourceOptions, onnxFolderSource } from './onnx-folder-source.ts';
export {
  type OpenedModelRegistry,
  type OpenModelRegistryOptions,
  openModelRegistry,
} from './open-model-registry.ts';
export { configError, parseConfigJson, parseConfigLayer } from './parse-config-layer.ts';
export { applyProfile, type Profile } from './profiles.ts';
export { defaultRoles, type RoleSpec, roleEnvVar, roleSpec, withPin, withRoleConfig } from './roles.ts';
export { type ModelQuery, searchModels } from './search-models.ts';
export { type CandidateReport, type ModelSelection, selectModels } from './select-models.ts';
