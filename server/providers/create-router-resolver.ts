import type { ProviderCapabilities } from '../../src/providers/shared/provider-capabilities.ts';
import type { DeploymentConfig } from '../../src/router/deployment.ts';
import type { Router } from '../../src/router/router.ts';
import type {
  DeploymentHealth,
  ModelDescription,
  ProviderResolver,
  ResolveRequest,
} from '../provider-resolver.ts';

/** The roles a deployment serves, derived from where it runs: `local` on this machine, `cloud` otherwise. */
function rolesOf(capabilities: ProviderCapabilities | undefined): string[] {
  return capabilities === undefined ? [] : [capabilities.local ? 'local' : 'cloud'];
}

function capabilitiesOf(deployment: DeploymentConfig): ProviderCapabilities | undefined {
  const value = (deployment.ai as { capabilities?: ProviderCapabilities }).capabilities;
  return value;
}

/**
 * Serves requests through the router: with no model named, the whole fallback chain (local first, then
 * Ollama, then cloud) with its breakers and retries; with a model or role named, only the matching
 * deployment (same breakers, no fallback), so a client that asks for a model gets that model.
 */
export function createRouterResolver(
  router: Router,
  deployments: readonly DeploymentConfig[],
): ProviderResolver {
  const entries = deployments.map((deployment) => {
    const capabilities = capabilitiesOf(deployment);
    const listed = deployment.ai.getModelList()?.[0];
    const model =
      deployment.model ?? (listed !== undefined && 'model' in listed ? listed.model : deployment.id);
    return {
      deployment,
      capabilities,
      model,
      provider: deployment.ai.getName(),
      roles: rolesOf(capabilities),
    };
  });

  const find = (request: ResolveRequest) => {
    if (request.model !== undefined) {
      const wanted = request.model;
      return entries.find(
        (e) => e.deployment.id === wanted || e.model === wanted || `${e.provider}/${e.model}` === wanted,
      );
    }
    if (request.role !== undefined) return entries.find((e) => e.roles.includes(request.role as string));
    return undefined;
  };

  return {
    resolve(request) {
      if (entries.length === 0) return undefined;
      if (request.model === undefined && request.role === undefined) {
        return { ai: router, provider: 'router', model: 'auto' };
      }
      const entry = find(request);
      return entry === undefined
        ? undefined
        : { ai: router.only(entry.deployment.id), provider: entry.provider, model: entry.model };
    },
    list: () =>
      entries.map(
        (e): ModelDescription => ({
          id: e.deployment.id,
          provider: e.provider,
          model: e.model,
          description: undefined,
          roles: e.roles,
          local: e.capabilities?.local,
          contextWindow: e.capabilities?.contextWindow,
          streaming: e.deployment.ai.getFeatures().streaming,
        }),
      ),
    health: async () => {
      const checkedAt = new Date().toISOString();
      return router.health().map((h): DeploymentHealth => {
        const entry = entries.find((e) => e.deployment.id === h.id);
        return {
          id: h.id,
          provider: entry?.provider ?? h.id,
          model: entry?.model ?? h.id,
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
