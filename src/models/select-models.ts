import { formatByteSize } from './byte-size.ts';
import { type ModelInfo, STRENGTH_NAMES } from './model-info.ts';
import { applyProfile, type Profile } from './profiles.ts';
import type { RoleSpec } from './roles.ts';

/** How one model fared for a role. */
export interface CandidateReport {
  /** Model id. */
  readonly id: string;
  /** Whether it meets the role's requirements (or is pinned and usable). */
  readonly eligible: boolean;
  /** Weighted strength score, 0-1, used to rank eligible models. */
  readonly score: number;
  /** Why it was chosen, ranked or skipped, in words (`context 4096 < required 8192`). */
  readonly reasons: readonly string[];
}

/** The outcome of choosing models for a role. */
export interface ModelSelection {
  /** The role as applied (profile overrides included). */
  readonly role: RoleSpec;
  /** The best eligible model, or undefined when none qualifies. */
  readonly chosen: ModelInfo | undefined;
  /** Every model: eligible ones in preference order (the chosen first), then skipped ones. */
  readonly candidates: readonly CandidateReport[];
  /** Remarks about the whole selection (profile applied, pin unavailable, nothing eligible). */
  readonly notes: readonly string[];
}

interface Assessed {
  readonly model: ModelInfo;
  readonly report: CandidateReport;
  readonly pinned: boolean;
  readonly listed: number;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

/** Requirement checks: `hard` failures block even a pinned model. */
function check(role: RoleSpec, model: ModelInfo): { hard: string[]; soft: string[]; met: string[] } {
  const hard: string[] = [];
  const soft: string[] = [];
  const met: string[] = [];
  if (role.task === 'chat' && !model.chat) hard.push('embedding-only model; role needs text generation');
  if (role.task === 'embed' && !model.embeddings) hard.push('no embeddings; role needs an embedding model');
  if (model.needsKey && !model.keyPresent) hard.push(`${model.keyEnv ?? 'API key'} is not set`);
  if (role.minContext !== undefined) {
    const context = model.contextLength;
    if (context === undefined) soft.push(`context length unknown; role needs ${role.minContext}`);
    else if (context < role.minContext) soft.push(`context ${context} < required ${role.minContext}`);
    else met.push(`context ${context} >= ${role.minContext}`);
  }
  if (role.maxMemoryBytes !== undefined && model.local) {
    const limit = formatByteSize(role.maxMemoryBytes);
    if (model.memoryBytes === undefined) soft.push(`memory unknown; role allows ${limit}`);
    else if (model.memoryBytes > role.maxMemoryBytes)
      soft.push(`memory ${formatByteSize(model.memoryBytes)} > limit ${limit}`);
    else met.push(`memory ${formatByteSize(model.memoryBytes)} <= ${limit}`);
  }
  if (role.tools)
    (model.tools ? met : soft).push(model.tools ? 'tool calling' : 'no tool calling; role needs tools');
  if (role.vision)
    (model.vision ? met : soft).push(model.vision ? 'image input' : 'no image input; role needs vision');
  if (role.localOnly && !model.local) soft.push('remote model; role is local-only');
  for (const name of STRENGTH_NAMES) {
    const minimum = role.minStrength[name];
    if (minimum === undefined) continue;
    const value = model.strengths[name];
    if (value < minimum) soft.push(`${name} ${value.toFixed(2)} < required ${minimum}`);
    else met.push(`${name} ${value.toFixed(2)} >= ${minimum}`);
  }
  return { hard, soft, met };
}

function scoreOf(role: RoleSpec, model: ModelInfo): { score: number; detail: string } {
  let total = 0;
  let weights = 0;
  const parts: string[] = [];
  for (const name of STRENGTH_NAMES) {
    const weight = role.weights[name];
    if (weight === 0) continue;
    total += weight * model.strengths[name];
    weights += weight;
    parts.push(`${name} ${model.strengths[name].toFixed(2)}x${weight}`);
  }
  const score = weights === 0 ? 0 : Math.round((total / weights) * 1000) / 1000;
  return { score, detail: `score ${score.toFixed(3)} (${parts.join(', ')})` };
}

function assess(role: RoleSpec, model: ModelInfo, patterns: readonly RegExp[]): Assessed {
  const { hard, soft, met } = check(role, model);
  const { score, detail } = scoreOf(role, model);
  const listed = patterns.findIndex((pattern) => pattern.test(model.id));
  const pinned = role.model === model.id && hard.length === 0;
  const eligible = pinned || (hard.length === 0 && soft.length === 0);
  const reasons: string[] = [];
  if (pinned)
    reasons.push(`pinned by ${role.pinnedBy ?? 'config'}`, ...soft.map((s) => `pin overrides: ${s}`));
  else if (!eligible) reasons.push(...hard, ...soft);
  if (eligible) {
    if (listed >= 0) reasons.push(`listed #${listed + 1} in the role's models (${role.models[listed]})`);
    reasons.push(...met, detail);
  }
  return { model, pinned, listed, report: { id: model.id, eligible, score, reasons } };
}

function compareEligible(a: Assessed, b: Assessed): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const la = a.listed < 0 ? Number.POSITIVE_INFINITY : a.listed;
  const lb = b.listed < 0 ? Number.POSITIVE_INFINITY : b.listed;
  if (la !== lb) return la - lb;
  return b.report.score - a.report.score || (a.model.id < b.model.id ? -1 : a.model.id > b.model.id ? 1 : 0);
}

function compareSkipped(a: Assessed, b: Assessed): number {
  return b.report.score - a.report.score || (a.model.id < b.model.id ? -1 : a.model.id > b.model.id ? 1 : 0);
}

function chosenBecause(first: Assessed): string {
  if (first.pinned) return 'chosen: pinned';
  if (first.listed >= 0) return 'chosen: first preferred model that meets the requirements';
  return 'chosen: highest score among models that meet the requirements';
}

/**
 * Chooses models for a role: pinned model first (when available), then the role's preferred `models` in
 * order, then the highest weighted-strength score; every model gets reasons. Pure, no I/O, O(n log n).
 */
export function selectModels(
  role: RoleSpec,
  models: readonly ModelInfo[],
  profile?: Profile,
): ModelSelection {
  const spec = profile === undefined ? role : applyProfile(role, profile);
  const patterns = spec.models.map(globToRegExp);
  const assessed = models.map((model) => assess(spec, model, patterns));
  const eligible = assessed.filter((a) => a.report.eligible).sort(compareEligible);
  const skipped = assessed.filter((a) => !a.report.eligible).sort(compareSkipped);
  const notes: string[] = [];
  if (spec.profile !== undefined) {
    const fields = spec.profileOverrides;
    notes.push(
      fields.length > 0
        ? `profile ${spec.profile} overrides ${fields.join(', ')}`
        : `profile ${spec.profile} has no overrides for this role`,
    );
  }
  if (spec.model !== undefined && !eligible.some((a) => a.pinned)) {
    const present = assessed.find((a) => a.model.id === spec.model);
    const why =
      present === undefined ? 'is not available' : `cannot be used (${present.report.reasons.join('; ')})`;
    notes.push(
      `pinned model ${spec.model} (${spec.pinnedBy ?? 'config'}) ${why}; chose by requirements instead`,
    );
  }
  const first = eligible[0];
  if (first === undefined) notes.push(`no model meets the requirements of role ${spec.name}`);
  const candidates = [
    ...eligible.map((a, index) => {
      const head = index === 0 ? chosenBecause(a) : `eligible, ranked #${index + 1}`;
      return { ...a.report, reasons: [head, ...a.report.reasons] };
    }),
    ...skipped.map((a) => a.report),
  ];
  return { role: spec, chosen: first?.model, candidates, notes };
}
