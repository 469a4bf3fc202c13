import { SignetError } from '../../src/errors/signet-error.ts';
import type { ModelInfo } from '../../src/models/model-info.ts';
import type { ModelRegistry } from '../../src/models/model-registry.ts';
import type { ProviderCapabilities } from '../../src/providers/shared/provider-capabilities.ts';
import type { DeploymentConfig } from '../../src/router/deployment.ts';
import type { Router } from '../../src/router/router.ts';
import type {
  DeploymentHealth,
  ModelDescription,
  ProviderResolver,
  ResolvedProvider,
  ResolveRequest,
  RoleAssignment,
} from '../provider-resolver.ts';
import { chooseRoleModel } from './choose-role-model.ts';
import { servingDeployment } from './deployment-for-model.ts';

/** Options of {@link createRouterResolver}. */
export interface RouterResolverOptions {
  /** Maps the roles it defines (planner, critic...) to models; without it only `local` and `cloud` exist. */
  readonly registry?: ModelRegistry | undefined;
  /**
   * The catalog's models the registry chooses from: a list, or a function read on every resolution
   * (e.g. a `CatalogSnapshot`'s `models`, listed again in the background); default none.
   */
  readonly models?: readonly ModelInfo[] | (() => readonly ModelInfo[]) | undefined;
}

/** The roles a deployment serves, derived from where it runs: `local` on this machine, `cloud` otherwise. */
function rolesOf(capabilities: ProviderCapabilities | undefined): string[] {
  return capabilities === undefined ? [] : [capabilities.local ? 'local' : 'cloud'];
}

/**
 * Serves requests through the router: with no model named, the whole fallback chain (local first, then
 * Ollama, then cloud) with its breakers and retries; with a model or role named, only the matching
 * deployment (same breakers, no fallback), so a client that asks for a model gets that model.
 *
 * A role the model registry defines resolves to the registry's choice among the catalog models a
 * deployment can serve, sent as the per-call model; when nothing servable fits, `resolve` throws
 * SIGNET_MODEL_UNKNOWN naming the role and why. Other roles are `local` / `cloud` (where a deployment runs).
 */
export function createRouterResolver(
  router: Router,
  deployments: readonly DeploymentConfig[],
  options: RouterResolverOptions = {},
): ProviderResolver {
  const { registry } = options;
  const listed = options.models ?? [];
  const models = typeof listed === 'function' ? listed : () => listed;
  const entries = deployments.map((deployment) => {
    const serving = servingDeployment(deployment);
    return { deployment, serving, roles: rolesOf(serving.capabilities) };
  });
  const serving = entries.map((e) => e.serving);

  const find = (request: ResolveRequest) => {
    if (request.model !== undefined) {
      const wanted = request.model;
      return entries.find(
        (e) =>
          e.deployment.id === wanted ||
          e.serving.model === wanted ||
          `${e.serving.provider}/${e.serving.model}` === wanted,
      );
    }
    if (request.role !== undefined) return entries.find((e) => e.roles.includes(request.role as string));
    return undefined;
  };

  const resolveRegistryRole = (roles: ModelRegistry, role: string): ResolvedProvider => {
    if (roles.roleSpec(role).task === 'embed') {
      const chat = roles.roles().filter((name) => roles.roleSpec(name).task === 'chat');
      throw new SignetError(
        'SIGNET_MODEL_UNKNOWN',
        `role "${role}" chooses embedding models; executions need a text-generation role: ${chat.join(', ')}`,
        { details: { role } },
      );
    }
    const choice = chooseRoleModel(roles, role, models(), serving);
    if (!choice.ok) {
      throw new SignetError('SIGNET_MODEL_UNKNOWN', `no deployment serves role "${role}": ${choice.reason}`, {
        details: { role, notes: choice.selection.notes },
      });
    }
    return {
      ai: router.only(choice.deployment.id),
      provider: choice.deployment.provider,
      model: choice.modelName,
    };
  };

  return {
    resolve(request) {
      if (entries.length === 0) return undefined;
      if (request.model === undefined && request.role === undefined) {
        return { ai: router, provider: 'router', model: 'auto', routed: true };
      }
      const { model, role } = request;
      if (model === undefined && role !== undefined && registry?.roles().includes(role) === true) {
        return resolveRegistryRole(registry, role);
      }
      const entry = find(request);
      return entry === undefined
        ? undefined
        : {
            ai: router.only(entry.deployment.id),
            provider: entry.serving.provider,
            model: entry.serving.model,
          };
    },
    ...(registry === undefined
      ? {}
      : {
          roles: () =>
            registry.roles().map((role): RoleAssignment => {
              const task = registry.roleSpec(role).task;
              const choice = chooseRoleModel(registry, role, models(), serving);
              const candidates = choice.selection.candidates.map(({ id, eligible, reasons }) => ({
                id,
                eligible,
                reasons,
              }));
              return choice.ok
                ? {
                    role,
                    task,
                    chosen: {
                      id: choice.model.id,
                      deployment: choice.deployment.id,
                      model: choice.modelName,
                    },
                    candidates,
                  }
                : { role, task, reason: choice.reason, candidates };
            }),
        }),
    list: () =>
      entries.map(
        (e): ModelDescription => ({
          id: e.deployment.id,
          provider: e.serving.provider,
          model: e.serving.model,
          description: undefined,
          roles: e.roles,
          local: e.serving.capabilities?.local,
          contextWindow: e.serving.capabilities?.contextWindow,
          streaming: e.deployment.ai.getFeatures().streaming,
        }),
      ),
    health: async () => {
      const checkedAt = new Date().toISOString();
      return router.health().map((h): DeploymentHealth => {
        const entry = entries.find((e) => e.deployment.id === h.id);
        return {
          id: h.id,
          provider: entry?.serving.provider ?? h.id,
          model: entry?.serving.model ?? h.id,
          ok: h.breaker === 'closed' || h.breaker === 'half-open',
          // An isolated breaker (held open by an operator) reads as open to clients.
          breaker: h.breaker === 'isolated' ? 'open' : h.breaker,
          latencyMs: h.lastLatencyMs,
          lastError: h.lastError,
          checkedAt,
        };
      });
    },
    ready: () => true,
  };
}
