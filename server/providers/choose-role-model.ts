import type { ModelInfo } from '../../src/models/model-info.ts';
import type { ModelRegistry } from '../../src/models/model-registry.ts';
import type { ModelSelection } from '../../src/models/select-models.ts';
import { deploymentForModel, type ServingDeployment } from './deployment-for-model.ts';

/** The model and deployment a registry role maps to, or why there is none. */
export type RoleModelChoice =
  | {
      /** A deployment serves the role. */
      readonly ok: true;
      /** The registry's choice among the models a deployment can serve. */
      readonly model: ModelInfo;
      /** The deployment that serves it. */
      readonly deployment: ServingDeployment;
      /** Model name to send with each call (`model.name`, or the single model the deployment runs). */
      readonly modelName: string;
      /** The registry's full selection, with a reason per candidate. */
      readonly selection: ModelSelection;
    }
  | {
      /** Nothing a deployment serves fits the role. */
      readonly ok: false;
      /** Why, in words: the selection's notes and the best skipped candidates' reasons. */
      readonly reason: string;
      /** The registry's full selection, with a reason per candidate. */
      readonly selection: ModelSelection;
    };

/** How many skipped candidates an explanation names. */
const EXPLAINED_CANDIDATES = 3;

/**
 * Chooses the model for a role the registry defines, among the catalog models that some deployment can
 * serve (see {@link deploymentForModel}): the registry's pure `select` ranks them (pins, profile, env pins
 * and runtime assignments apply) and its first eligible candidate wins. Throws SIGNET_ROLE_NOT_FOUND for
 * a role the registry does not define.
 */
export function chooseRoleModel(
  registry: ModelRegistry,
  role: string,
  models: readonly ModelInfo[],
  deployments: readonly ServingDeployment[],
): RoleModelChoice {
  const servable = models.filter((model) => deploymentForModel(model, deployments) !== undefined);
  const selection = registry.select(role, servable);
  for (const candidate of selection.candidates) {
    if (!candidate.eligible) break; // eligible candidates come first, in preference order
    const model = servable.find((m) => m.id === candidate.id);
    const deployment = model === undefined ? undefined : deploymentForModel(model, deployments);
    if (model === undefined || deployment === undefined) continue;
    const modelName = deployment.singleModel ? deployment.model : model.name;
    return { ok: true, model, deployment, modelName, selection };
  }
  return { ok: false, reason: explain(selection, models.length, servable.length), selection };
}

function explain(selection: ModelSelection, listed: number, servable: number): string {
  if (servable === 0) {
    return listed === 0
      ? 'the model catalog lists no models (see `signet models list`)'
      : `none of the ${listed} catalog models is served by a running deployment (see the provider notes at start-up)`;
  }
  const skipped = selection.candidates
    .slice(0, EXPLAINED_CANDIDATES)
    .map((c) => `${c.id}: ${c.reasons.join(', ')}`);
  return [...selection.notes, ...skipped].join('; ');
}
