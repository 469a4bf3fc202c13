import { z } from 'zod';
import { BYTE_SIZE_PATTERN } from './byte-size.ts';

const strength = z.number().min(0).max(1);

/** Partial strengths, each 0-1. */
export const strengthsSchema = z.strictObject({
  reasoning: strength.optional(),
  coding: strength.optional(),
  writing: strength.optional(),
});

const weight = z.number().min(0);

/** Role names: kebab-case, so `SIGNET_MODEL_<ROLE>` can name them (`code-reviewer` -> `CODE_REVIEWER`). */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** Requirements and model mapping of one role; every field optional so layers can override one at a time. */
export const roleConfigSchema = z.strictObject({
  /** What the role does. */
  description: z.string().optional(),
  /** `chat` (generates text, the default) or `embed` (needs an embedding model). */
  task: z.enum(['chat', 'embed']).optional(),
  /** Smallest context window, in tokens. */
  minContext: z.number().int().positive().optional(),
  /** Most memory a local model may take: bytes, or a string like `8GiB`, `512MB`. */
  maxMemory: z
    .union([z.number().int().positive(), z.string().regex(BYTE_SIZE_PATTERN, 'expected a size like "8GiB"')])
    .optional(),
  /** Lowest acceptable strengths. */
  minStrength: strengthsSchema.optional(),
  /** How much each strength counts when ranking eligible models (default 1 each). */
  weights: z
    .strictObject({ reasoning: weight.optional(), coding: weight.optional(), writing: weight.optional() })
    .optional(),
  /** Requires native tool calling. */
  tools: z.boolean().optional(),
  /** Requires image input. */
  vision: z.boolean().optional(),
  /** Only models running on this machine. */
  localOnly: z.boolean().optional(),
  /** Preferred models in order: ids, or patterns with `*` (`ollama:qwen2.5*`). Tried before ranking by score. */
  models: z.array(z.string().min(1)).optional(),
  /** Pin: always use this model id when it is available, even if it misses a requirement. */
  model: z.string().min(1).optional(),
});

/** A profile: a named set of role overrides (coding, writing, research...). */
export const profileConfigSchema = z.strictObject({
  /** What the profile is for. */
  description: z.string().optional(),
  /** Overrides per role name. */
  roles: z
    .record(z.string().regex(ROLE_NAME_PATTERN, 'expected a kebab-case role name'), roleConfigSchema)
    .optional(),
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');

/** A configured cloud model; the key of the record is its id `<provider>:<name>`. */
export const cloudModelConfigSchema = z.strictObject({
  /** Set false to hide a model declared by a lower layer. */
  enabled: z.boolean().optional(),
  /** Environment variable(s) holding the API key (defaults per provider, e.g. OPENAI_API_KEY). */
  keyEnv: z.union([envName, z.array(envName).min(1)]).optional(),
  /** Context window in tokens. */
  contextLength: z.number().int().positive().optional(),
  /** Generates text (default true unless `embeddings`). */
  chat: z.boolean().optional(),
  /** Native tool calling. */
  tools: z.boolean().optional(),
  /** Image input. */
  vision: z.boolean().optional(),
  /** Produces embeddings. */
  embeddings: z.boolean().optional(),
  /** Strengths overriding the heuristics. */
  strengths: strengthsSchema.optional(),
});

/** Corrections to a discovered model's capabilities, keyed by model id. */
export const modelOverrideSchema = z.strictObject({
  /** Context window in tokens (e.g. when the source could not tell). */
  contextLength: z.number().int().positive().optional(),
  /** Native tool calling. */
  tools: z.boolean().optional(),
  /** Image input. */
  vision: z.boolean().optional(),
  /** Strengths replacing the heuristics. */
  strengths: strengthsSchema.optional(),
});

/** One config file (`config/models.json`, `config/user_models.json`). Unknown keys are errors. */
export const modelsConfigFileSchema = z.strictObject({
  /** Editor hint; ignored. */
  $schema: z.string().optional(),
  /** Profile applied on top of the roles (`null` clears one set by a lower layer). */
  activeProfile: z.string().min(1).nullable().optional(),
  /** Allow changing role models and the active profile while running (default false). */
  allowRuntimeSwitch: z.boolean().optional(),
  /** How long model listings are cached, in ms (default 300000). */
  cacheTtlMs: z.number().int().nonnegative().optional(),
  /** Ollama discovery. */
  ollama: z.strictObject({ enabled: z.boolean().optional(), host: z.string().min(1).optional() }).optional(),
  /** Folders scanned for transformers.js model folders (relative to the project root). */
  onnx: z
    .strictObject({ enabled: z.boolean().optional(), dirs: z.array(z.string().min(1)).optional() })
    .optional(),
  /** Cloud models by id `<provider>:<name>`; listed only when their key variable is set. */
  cloudModels: z
    .record(z.string().regex(/^[a-z0-9-]+:.+$/, 'expected "<provider>:<model>"'), cloudModelConfigSchema)
    .optional(),
  /** Capability corrections per model id. */
  modelOverrides: z.record(z.string().min(1), modelOverrideSchema).optional(),
  /** Roles: requirements and preferred models. */
  roles: z
    .record(z.string().regex(ROLE_NAME_PATTERN, 'expected a kebab-case role name'), roleConfigSchema)
    .optional(),
  /** Named sets of role overrides. */
  profiles: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a kebab-case profile name'), profileConfigSchema)
    .optional(),
});

/** One role's config. */
export type RoleConfig = z.infer<typeof roleConfigSchema>;
/** One profile's config. */
export type ProfileConfig = z.infer<typeof profileConfigSchema>;
/** One cloud model's config. */
export type CloudModelConfig = z.infer<typeof cloudModelConfigSchema>;
/** One model override. */
export type ModelOverride = z.infer<typeof modelOverrideSchema>;
/** A whole config file. */
export type ModelsConfigFile = z.infer<typeof modelsConfigFileSchema>;
