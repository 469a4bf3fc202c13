import type { ModelInfo } from '../../src/models/model-info.ts';
import type { ModelRegistry } from '../../src/models/model-registry.ts';
import type { DeploymentConfig } from '../../src/router/deployment.ts';
import { chooseRoleModel } from './choose-role-model.ts';
import { servingDeployment } from './deployment-for-model.ts';

/** Longest explanation kept per unserved role, so the start-up line stays one readable line. */
const MAX_REASON = 160;

/**
 * One line for the start-up log: which model and deployment each registry role maps to, e.g.
 * `planner -> ollama:qwen3:8b on ollama, embedder -> none (no model meets the requirements of role embedder)`.
 */
export function describeRoles(
  registry: ModelRegistry,
  models: readonly ModelInfo[],
  deployments: readonly DeploymentConfig[],
): string {
  const serving = deployments.map(servingDeployment);
  return registry
    .roles()
    .map((role) => {
      const choice = chooseRoleModel(registry, role, models, serving);
      if (choice.ok) return `${role} -> ${choice.model.id} on ${choice.deployment.id}`;
      const reason =
        choice.reason.length > MAX_REASON ? `${choice.reason.slice(0, MAX_REASON - 3)}...` : choice.reason;
      return `${role} -> none (${reason})`;
    })
    .join(', ');
}
