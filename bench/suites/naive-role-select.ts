import type { ModelInfo, RoleSpec } from '../../src/models/index.ts';

/**
 * The least a role-based selector must do, written the obvious way: one linear filter over the role's
 * requirements, one sort (preferred patterns first, then weighted strength, then id), take the first.
 * No explanations, no config layering, no catalog: the models suite's baseline. The role spec and its
 * patterns are resolved once by the caller, outside the timed call.
 */
export function createNaiveSelector(role: RoleSpec): (models: readonly ModelInfo[]) => ModelInfo | undefined {
  const patterns = role.models.map(
    (glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`),
  );
  const weights = role.weights;
  const weightSum = weights.reasoning + weights.coding + weights.writing;
  const score = (m: ModelInfo) =>
    weightSum === 0
      ? 0
      : Math.round(
          ((weights.reasoning * m.strengths.reasoning +
            weights.coding * m.strengths.coding +
            weights.writing * m.strengths.writing) /
            weightSum) *
            1000,
        ) / 1000;
  const rank = (m: ModelInfo) => {
    const index = patterns.findIndex((pattern) => pattern.test(m.id));
    return index < 0 ? Number.POSITIVE_INFINITY : index;
  };
  const fits = (m: ModelInfo) =>
    (role.task === 'chat' ? m.chat : m.embeddings) &&
    (!m.needsKey || m.keyPresent) &&
    (role.minContext === undefined || (m.contextLength ?? 0) >= role.minContext) &&
    (role.maxMemoryBytes === undefined ||
      !m.local ||
      (m.memoryBytes !== undefined && m.memoryBytes <= role.maxMemoryBytes)) &&
    (!role.tools || m.tools) &&
    (!role.vision || m.vision) &&
    (!role.localOnly || m.local) &&
    (role.minStrength.reasoning === undefined || m.strengths.reasoning >= role.minStrength.reasoning) &&
    (role.minStrength.coding === undefined || m.strengths.coding >= role.minStrength.coding) &&
    (role.minStrength.writing === undefined || m.strengths.writing >= role.minStrength.writing);
  return (models) =>
    models
      .filter(fits)
      .map((model) => ({ model, rank: rank(model), score: score(model) }))
      .sort((a, b) => a.rank - b.rank || b.score - a.score || (a.model.id < b.model.id ? -1 : 1))[0]?.model;
}
