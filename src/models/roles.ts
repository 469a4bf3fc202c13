import { parseByteSize } from './byte-size.ts';
import { definedStrengths, type ModelStrengths } from './model-info.ts';
import type { RoleConfig } from './models-config.ts';

/** What a role needs from a model and which models it prefers. Built from layered {@link RoleConfig}s. */
export interface RoleSpec {
  /** Role name, kebab-case (`planner`). */
  readonly name: string;
  /** What the role does. */
  readonly description: string | undefined;
  /** `chat` needs a text generator, `embed` an embedding model. */
  readonly task: 'chat' | 'embed';
  /** Smallest context window in tokens. */
  readonly minContext: number | undefined;
  /** Most memory a local model may take, in bytes. */
  readonly maxMemoryBytes: number | undefined;
  /** Lowest acceptable strengths. */
  readonly minStrength: Partial<ModelStrengths>;
  /** Weight of each strength in the ranking score. */
  readonly weights: ModelStrengths;
  /** Requires native tool calling. */
  readonly tools: boolean;
  /** Requires image input. */
  readonly vision: boolean;
  /** Only local models. */
  readonly localOnly: boolean;
  /** Preferred model ids or `*` patterns, in order. */
  readonly models: readonly string[];
  /** Pinned model id: used when available even if it misses a requirement. */
  readonly model: string | undefined;
  /** Where the pin came from (`config`, `profile coding`, `SIGNET_MODEL_PLANNER`, `runtime assignment`). */
  readonly pinnedBy: string | undefined;
  /** Active profile when the role was resolved, if any. */
  readonly profile: string | undefined;
  /** Fields that profile overrode (`minContext`, `models`...). */
  readonly profileOverrides: readonly string[];
}

/**
 * Built-in roles, the lowest config layer. Requirements are deliberately modest so small local models
 * qualify; profiles and user config tighten them.
 */
export const defaultRoles: Readonly<Record<string, RoleConfig>> = {
  planner: {
    description: 'Breaks a task into steps and decides what to do next',
    minContext: 8192,
    minStrength: { reasoning: 0.5 },
    weights: { reasoning: 3, coding: 1, writing: 1 },
  },
  critic: {
    description: 'Reviews drafts and answers and says what is wrong',
    minContext: 4096,
    minStrength: { reasoning: 0.5 },
    weights: { reasoning: 2, coding: 1, writing: 2 },
  },
  executor: {
    description: 'Carries out steps, calling tools',
    minContext: 4096,
    tools: true,
    weights: { reasoning: 1, coding: 2, writing: 1 },
  },
  embedder: {
    description: 'Turns text into vectors for search and caching',
    task: 'embed',
  },
};

/** Returns `spec` with every field `config` sets replaced (`origin` is recorded when it pins a model). */
export function withRoleConfig(spec: RoleSpec, config: RoleConfig, origin = 'config'): RoleSpec {
  const maxMemoryBytes =
    config.maxMemory === undefined ? spec.maxMemoryBytes : parseByteSize(config.maxMemory);
  return {
    name: spec.name,
    description: config.description ?? spec.description,
    task: config.task ?? spec.task,
    minContext: config.minContext ?? spec.minContext,
    maxMemoryBytes,
    minStrength: { ...spec.minStrength, ...definedStrengths(config.minStrength) },
    weights: { ...spec.weights, ...definedStrengths(config.weights) },
    tools: config.tools ?? spec.tools,
    vision: config.vision ?? spec.vision,
    localOnly: config.localOnly ?? spec.localOnly,
    models: config.models ?? spec.models,
    model: config.model ?? spec.model,
    pinnedBy: config.model === undefined ? spec.pinnedBy : origin,
    profile: spec.profile,
    profileOverrides: spec.profileOverrides,
  };
}

/** A role spec from its (merged) config, with neutral defaults for what the config leaves out. */
export function roleSpec(name: string, config: RoleConfig = {}): RoleSpec {
  const empty: RoleSpec = {
    name,
    description: undefined,
    task: 'chat',
    minContext: undefined,
    maxMemoryBytes: undefined,
    minStrength: {},
    weights: { reasoning: 1, coding: 1, writing: 1 },
    tools: false,
    vision: false,
    localOnly: false,
    models: [],
    model: undefined,
    pinnedBy: undefined,
    profile: undefined,
    profileOverrides: [],
  };
  return withRoleConfig(empty, config);
}

/** `spec` pinned to `modelId` by `origin` (an environment variable or a runtime assignment). */
export function withPin(spec: RoleSpec, modelId: string, origin: string): RoleSpec {
  return { ...spec, model: modelId, pinnedBy: origin };
}

/** The environment variable that pins a role's model: `code-reviewer` -> `SIGNET_MODEL_CODE_REVIEWER`. */
export function roleEnvVar(role: string): string {
  return `SIGNET_MODEL_${role.toUpperCase().replaceAll('-', '_')}`;
}
