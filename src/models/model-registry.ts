import { SignetError } from '../errors/signet-error.ts';
import { closestMatches } from '../util/closest-matches.ts';
import { applyModelOverrides } from './apply-model-overrides.ts';
import type { ModelsConfig } from './load-models-config.ts';
import type { CatalogCallOptions, ModelCatalog, SourceFailure } from './model-catalog.ts';
import type { ModelInfo } from './model-info.ts';
import { applyProfile } from './profiles.ts';
import { type RoleSpec, roleSpec, withPin } from './roles.ts';
import { type ModelSelection, selectModels } from './select-models.ts';

/** A role's selection plus the sources that could not be asked. */
export interface RoleChoice extends ModelSelection {
  /** Sources that failed while listing; their models were not considered. */
  readonly sourceErrors: readonly SourceFailure[];
}

/** One profile as listed by {@link ModelRegistry.profiles}. */
export interface ProfileSummary {
  /** Profile name. */
  readonly name: string;
  /** What it is for. */
  readonly description: string | undefined;
  /** Whether it is the active one. */
  readonly active: boolean;
  /** Roles it overrides. */
  readonly roles: readonly string[];
}

/** Options of {@link createModelRegistry}. */
export interface ModelRegistryOptions {
  /** Where models come from (cached). */
  readonly catalog: ModelCatalog;
  /** Resolved configuration (see `loadModelsConfig`). */
  readonly config: ModelsConfig;
}

/** Maps roles to models, explaining every choice; the single place runtime switches go through. */
export interface ModelRegistry {
  /** Chooses models for a role from the (cached) catalog; SIGNET_ROLE_NOT_FOUND for an unknown role. */
  role(name: string, options?: CatalogCallOptions): Promise<RoleChoice>;
  /** Chooses from a given model list without I/O (pure apart from reading the registry's state). */
  select(name: string, models: readonly ModelInfo[]): ModelSelection;
  /** The role's effective requirements: config, then active profile, then env pin, then runtime assignment. */
  roleSpec(name: string): RoleSpec;
  /** Role names, sorted. */
  roles(): readonly string[];
  /** Profiles, sorted by name. */
  profiles(): readonly ProfileSummary[];
  /** Active profile name, if any. */
  activeProfile(): string | undefined;
  /** Changes (or clears) the active profile; needs `allowRuntimeSwitch`, else SIGNET_MODEL_SWITCH_DISABLED. */
  setActiveProfile(name: string | undefined): void;
  /** Pins a model to a role while running; needs `allowRuntimeSwitch`. SIGNET_MODEL_UNKNOWN if not listed. */
  assign(role: string, modelId: string, options?: CatalogCallOptions): Promise<void>;
  /** Removes a runtime pin; needs `allowRuntimeSwitch`. */
  unassign(role: string): void;
  /** Runtime pins by role. */
  assignments(): Readonly<Record<string, string>>;
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** Creates a registry over a catalog and a resolved config. State (profile, pins) lives in the instance. */
export function createModelRegistry(options: ModelRegistryOptions): ModelRegistry {
  const { catalog, config } = options;
  let active = config.activeProfile;
  const assigned = new Map<string, string>();
  let lastListing: readonly ModelInfo[] | undefined;
  let lastAdjusted: readonly ModelInfo[] = [];

  const ensureSwitchAllowed = (what: string): void => {
    if (config.allowRuntimeSwitch) return;
    throw new SignetError(
      'SIGNET_MODEL_SWITCH_DISABLED',
      `cannot ${what}: runtime model switching is disabled; set "allowRuntimeSwitch": true in config/user_models.json or SIGNET_ALLOW_MODEL_SWITCH=1`,
    );
  };

  const requireRole = (name: string): void => {
    if (Object.hasOwn(config.roles, name)) return;
    const suggestions = closestMatches(name, Object.keys(config.roles));
    const hint = suggestions.length > 0 ? ` Did you mean ${quoteList(suggestions)}?` : '';
    throw new SignetError(
      'SIGNET_ROLE_NOT_FOUND',
      `no role named "${name}".${hint} Roles: ${Object.keys(config.roles).sort().join(', ')}`,
      {
        details: { role: name, suggestions },
      },
    );
  };

  const spec = (name: string): RoleSpec => {
    requireRole(name);
    let role = roleSpec(name, config.roles[name]);
    const profile = active === undefined ? undefined : config.profiles[active];
    if (profile !== undefined) role = applyProfile(role, profile);
    const pin = config.pins[name];
    if (pin !== undefined) role = withPin(role, pin.modelId, pin.variable);
    const runtime = assigned.get(name);
    if (runtime !== undefined) role = withPin(role, runtime, 'runtime assignment');
    return role;
  };

  const adjusted = (models: readonly ModelInfo[]): readonly ModelInfo[] => {
    if (models !== lastListing) {
      lastListing = models;
      lastAdjusted = applyModelOverrides(models, config.modelOverrides);
    }
    return lastAdjusted;
  };

  const registry: ModelRegistry = {
    async role(name, callOptions = {}) {
      const role = spec(name);
      const listing = await catalog.list(callOptions);
      return { ...selectModels(role, adjusted(listing.models)), sourceErrors: listing.errors };
    },
    select: (name, models) => selectModels(spec(name), adjusted(models)),
    roleSpec: spec,
    roles: () => Object.keys(config.roles).sort(),
    profiles: () =>
      Object.values(config.profiles)
        .map((p) => ({
          name: p.name,
          description: p.description,
          active: p.name === active,
          roles: Object.keys(p.roles),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    activeProfile: () => active,
    setActiveProfile(name) {
      ensureSwitchAllowed('change the active profile');
      if (name !== undefined && !Object.hasOwn(config.profiles, name)) {
        const suggestions = closestMatches(name, Object.keys(config.profiles));
        const hint = suggestions.length > 0 ? ` Did you mean ${quoteList(suggestions)}?` : '';
        throw new SignetError('SIGNET_PROFILE_NOT_FOUND', `no profile named "${name}".${hint}`, {
          details: { profile: name, suggestions },
        });
      }
      active = name;
    },
    async assign(role, modelId, callOptions = {}) {
      ensureSwitchAllowed(`assign ${modelId} to role ${role}`);
      requireRole(role);
      const listing = await catalog.list(callOptions);
      if (!listing.models.some((model) => model.id === modelId)) {
        const suggestions = closestMatches(
          modelId,
          listing.models.map((model) => model.id),
        );
        const hint = suggestions.length > 0 ? ` Did you mean ${quoteList(suggestions)}?` : '';
        throw new SignetError(
          'SIGNET_MODEL_UNKNOWN',
          `no model "${modelId}" in the catalog.${hint} See \`signet models list\`.`,
          {
            details: { model: modelId, suggestions },
          },
        );
      }
      assigned.set(role, modelId);
    },
    unassign(role) {
      ensureSwitchAllowed(`unassign role ${role}`);
      requireRole(role);
      assigned.delete(role);
    },
    assignments: () => Object.fromEntries(assigned),
  };
  return registry;
}
