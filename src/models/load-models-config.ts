import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Issue } from '../errors/issue.ts';
import { type CloudModelSpec, DEFAULT_KEY_ENV } from './cloud-models-source.ts';
import { type ConfigLayer, layerSetting, mergeConfigLayers } from './merge-config-layers.ts';
import { definedStrengths } from './model-info.ts';
import type { ModelOverride, RoleConfig } from './models-config.ts';
import { configError, parseConfigJson, parseConfigLayer } from './parse-config-layer.ts';
import type { Profile } from './profiles.ts';
import { readModelsEnv } from './read-models-env.ts';
import { defaultRoles } from './roles.ts';
import { didYouMean } from './suggest-name.ts';

/** The resolved model configuration: every layer applied and checked. */
export interface ModelsConfig {
  /** Role configs after the file layers (built-in < models.json < user_models.json), before any profile. */
  readonly roles: Readonly<Record<string, RoleConfig>>;
  /** Profiles by name. */
  readonly profiles: Readonly<Record<string, Profile>>;
  /** Active profile (SIGNET_PROFILE wins over the files), if any. */
  readonly activeProfile: string | undefined;
  /** Which layer chose the active profile (`SIGNET_PROFILE`, `config/user_models.json`, ...). */
  readonly activeProfileFrom: string | undefined;
  /** Models pinned by `SIGNET_MODEL_<ROLE>`: role -> model id and the variable that pinned it. */
  readonly pins: Readonly<Record<string, { readonly modelId: string; readonly variable: string }>>;
  /** Whether roles' models and the active profile may change while running. */
  readonly allowRuntimeSwitch: boolean;
  /** How long model listings are cached, in ms. */
  readonly cacheTtlMs: number;
  /** Ollama discovery: on/off and the host (undefined: the provider's default). */
  readonly ollama: { readonly enabled: boolean; readonly host: string | undefined };
  /** ONNX discovery: on/off and absolute folders to scan. */
  readonly onnx: { readonly enabled: boolean; readonly dirs: readonly string[] };
  /** Enabled cloud models. */
  readonly cloudModels: readonly CloudModelSpec[];
  /** Capability corrections per model id. */
  readonly modelOverrides: Readonly<Record<string, ModelOverride>>;
  /** The layers applied, lowest first, for `signet models` output and debugging. */
  readonly layers: readonly string[];
}

/** Options shared by {@link resolveModelsConfig} and {@link loadModelsConfig}. */
export interface ResolveModelsConfigOptions {
  /** Environment to read `SIGNET_*` variables from (usually `process.env`; default none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Project root; relative `onnx.dirs` resolve against it (default: the current directory). */
  readonly root?: string;
}

/** Options of {@link loadModelsConfig}. */
export interface LoadModelsConfigOptions extends ResolveModelsConfigOptions {
  /** Folder with `models.json` (defaults) and `user_models.json` (user overrides); both optional. */
  readonly configDir: string;
  /** Stops reading files. */
  readonly signal?: AbortSignal;
}

/** The layer a config file lives in, in order. */
export const CONFIG_FILES = ['models', 'user_models'] as const;

const BUILT_IN = 'built-in defaults';

interface Problem {
  readonly where: string;
  readonly issue: Issue;
}

function throwFirst(problems: readonly Problem[]): void {
  const first = problems[0];
  if (first === undefined) return;
  const issues = problems.filter((p) => p.where === first.where).map((p) => p.issue);
  throw configError(first.where, issues);
}

/**
 * Resolves validated file layers (lowest first) plus the environment into a {@link ModelsConfig}:
 * built-in roles < files in order < env (`SIGNET_PROFILE`, `SIGNET_MODEL_<ROLE>`, `SIGNET_ALLOW_MODEL_SWITCH`).
 * The active profile is applied per role at selection time. Broken references are SIGNET_CONFIG_INVALID.
 */
export function resolveModelsConfig(
  fileLayers: readonly ConfigLayer[],
  options: ResolveModelsConfigOptions = {},
): ModelsConfig {
  const layers: ConfigLayer[] = [{ where: BUILT_IN, data: { roles: { ...defaultRoles } } }, ...fileLayers];
  const merged = mergeConfigLayers(layers);
  const env = readModelsEnv(options.env ?? {});
  if (env.issues.length > 0) throw configError('environment', env.issues);
  const roles = merged.roles ?? {};
  const roleNames = Object.keys(roles);
  const problems: Problem[] = [];
  const profiles: Record<string, Profile> = {};
  for (const [name, profile] of Object.entries(merged.profiles ?? {})) {
    profiles[name] = { name, description: profile.description, roles: profile.roles ?? {} };
    for (const role of Object.keys(profile.roles ?? {})) {
      if (Object.hasOwn(roles, role)) continue;
      const path = ['profiles', name, 'roles', role];
      problems.push({
        where: layerSetting(layers, path),
        issue: { path, code: 'unknown_role', message: `unknown role${didYouMean(role, roleNames)}` },
      });
    }
  }
  const fileProfile = merged.activeProfile ?? undefined;
  const activeProfile = env.profile ?? fileProfile;
  const activeProfileFrom =
    env.profile !== undefined
      ? 'SIGNET_PROFILE'
      : fileProfile !== undefined
        ? layerSetting(layers, ['activeProfile'])
        : undefined;
  if (activeProfile !== undefined && !Object.hasOwn(profiles, activeProfile)) {
    const fromEnv = env.profile !== undefined;
    problems.push({
      where: fromEnv ? 'environment' : (activeProfileFrom ?? 'config'),
      issue: {
        path: [fromEnv ? 'SIGNET_PROFILE' : 'activeProfile'],
        code: 'unknown_profile',
        message: `unknown profile ${JSON.stringify(activeProfile)}${didYouMean(activeProfile, Object.keys(profiles))}`,
      },
    });
  }
  const cloudModels: CloudModelSpec[] = [];
  for (const [id, model] of Object.entries(merged.cloudModels ?? {})) {
    if (model.enabled === false) continue;
    const colon = id.indexOf(':');
    const provider = id.slice(0, colon);
    const configured = typeof model.keyEnv === 'string' ? [model.keyEnv] : model.keyEnv;
    const keyEnv = configured ?? DEFAULT_KEY_ENV[provider];
    if (keyEnv === undefined) {
      const path = ['cloudModels', id, 'keyEnv'];
      problems.push({
        where: layerSetting(layers, ['cloudModels', id]),
        issue: {
          path,
          code: 'missing_key_env',
          message: `required: provider "${provider}" has no default key variable`,
        },
      });
      continue;
    }
    const embeddings = model.embeddings ?? false;
    cloudModels.push({
      id,
      provider,
      name: id.slice(colon + 1),
      keyEnv,
      contextLength: model.contextLength,
      chat: model.chat ?? !embeddings,
      tools: model.tools ?? false,
      vision: model.vision ?? false,
      embeddings,
      strengths: definedStrengths(model.strengths),
    });
  }
  const pins: Record<string, { modelId: string; variable: string }> = {};
  for (const { variable, modelId } of env.pins) {
    const role = variable.slice('SIGNET_MODEL_'.length).toLowerCase().replaceAll('_', '-');
    if (Object.hasOwn(roles, role)) pins[role] = { modelId, variable };
    else
      problems.push({
        where: 'environment',
        issue: {
          path: [variable],
          code: 'unknown_role',
          message: `no role "${role}" to pin${didYouMean(role, roleNames)}`,
        },
      });
  }
  throwFirst(problems);
  const root = options.root ?? process.cwd();
  return {
    roles,
    profiles,
    activeProfile,
    activeProfileFrom,
    pins,
    allowRuntimeSwitch: env.allowRuntimeSwitch ?? merged.allowRuntimeSwitch ?? false,
    cacheTtlMs: merged.cacheTtlMs ?? 300_000,
    ollama: { enabled: merged.ollama?.enabled ?? true, host: merged.ollama?.host },
    onnx: {
      enabled: merged.onnx?.enabled ?? true,
      dirs: (merged.onnx?.dirs ?? []).map((dir) => resolve(root, dir)),
    },
    cloudModels,
    modelOverrides: merged.modelOverrides ?? {},
    layers: [
      ...layers.map((layer) => layer.where),
      ...(activeProfile === undefined ? [] : [`profile ${activeProfile} (from ${activeProfileFrom})`]),
      ...Object.values(pins).map((pin) => pin.variable),
      ...(env.allowRuntimeSwitch === undefined ? [] : ['SIGNET_ALLOW_MODEL_SWITCH']),
    ],
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function readOptional(file: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    return await readFile(file, signal === undefined ? { encoding: 'utf8' } : { encoding: 'utf8', signal });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Loads `<configDir>/models.json` and `<configDir>/user_models.json` (each optional) and resolves them
 * with the environment. A bad file fails with SIGNET_CONFIG_INVALID naming the file (relative to `root`),
 * the key path and why. YAML files are refused with a hint: no YAML parser is installed.
 */
export async function loadModelsConfig(options: LoadModelsConfigOptions): Promise<ModelsConfig> {
  const root = resolve(options.root ?? dirname(resolve(options.configDir)));
  const display = (file: string): string => {
    const shown = relative(root, file);
    return shown.startsWith('..') || isAbsolute(shown) ? file : shown;
  };
  const fileLayers: ConfigLayer[] = [];
  for (const base of CONFIG_FILES) {
    const file = join(resolve(options.configDir), `${base}.json`);
    for (const yaml of [`${base}.yaml`, `${base}.yml`]) {
      const yamlFile = join(resolve(options.configDir), yaml);
      if (await exists(yamlFile))
        throw configError(display(yamlFile), [
          {
            path: [],
            code: 'unsupported_format',
            message: `YAML config is not supported (no YAML parser is installed); convert it to JSON as ${base}.json`,
          },
        ]);
    }
    const text = await readOptional(file, options.signal);
    if (text === undefined) continue;
    const where = display(file);
    fileLayers.push({ where, data: parseConfigLayer(parseConfigJson(text, where), where) });
  }
  return resolveModelsConfig(fileLayers, { ...options, root });
}
