import { formatByteSize } from './byte-size.ts';
import type { ModelInfo } from './model-info.ts';
import type { RoleChoice } from './model-registry.ts';
import type { RoleSpec } from './roles.ts';

function formatCount(count: number | undefined): string {
  if (count === undefined) return '-';
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(0)}M`;
  return `${(count / 1e3).toFixed(0)}K`;
}

function capabilities(model: ModelInfo): string {
  const caps = [
    model.chat ? 'chat' : undefined,
    model.tools ? 'tools' : undefined,
    model.vision ? 'vision' : undefined,
    model.embeddings ? 'embed' : undefined,
  ].filter((cap) => cap !== undefined);
  return caps.join(',') || '-';
}

/** Column titles matching {@link modelTableRow}. */
export const MODEL_TABLE_HEADERS = ['ID', 'CONTEXT', 'PARAMS', 'QUANT', 'MEMORY', 'CAPS', 'WHERE'] as const;

/** One model as table cells: id, context, parameters, quantization, memory, capabilities, where it runs. */
export function modelTableRow(model: ModelInfo): string[] {
  return [
    model.id,
    model.contextLength === undefined ? '-' : String(model.contextLength),
    formatCount(model.parameterCount),
    model.quantization ?? '-',
    model.memoryBytes === undefined ? '-' : formatByteSize(model.memoryBytes),
    capabilities(model),
    model.local ? 'local' : `remote (${model.keyEnv ?? 'key'} ${model.keyPresent ? 'set' : 'missing'})`,
  ];
}

/** The role's requirements in words: `text generation, context >= 8192, tools, reasoning >= 0.5`. */
export function describeRequirements(role: RoleSpec): string {
  const parts = [role.task === 'embed' ? 'embeddings' : 'text generation'];
  if (role.minContext !== undefined) parts.push(`context >= ${role.minContext}`);
  if (role.maxMemoryBytes !== undefined)
    parts.push(`memory <= ${formatByteSize(role.maxMemoryBytes)} (local)`);
  if (role.tools) parts.push('tools');
  if (role.vision) parts.push('vision');
  if (role.localOnly) parts.push('local only');
  for (const [name, minimum] of Object.entries(role.minStrength)) parts.push(`${name} >= ${minimum}`);
  return parts.join(', ');
}

/** A role's choice as text: requirements, the chosen model, and why each candidate was chosen or skipped. */
export function formatRoleChoice(choice: RoleChoice): string {
  const { role } = choice;
  const lines = [`role ${role.name}${role.description === undefined ? '' : ` - ${role.description}`}`];
  if (role.profile !== undefined) lines.push(`profile: ${role.profile}`);
  lines.push(`requires: ${describeRequirements(role)}`);
  if (role.models.length > 0) lines.push(`prefers: ${role.models.join(', ')}`);
  if (role.model !== undefined) lines.push(`pinned: ${role.model} (by ${role.pinnedBy ?? 'config'})`);
  lines.push(`chosen: ${choice.chosen?.id ?? 'none'}`);
  if (choice.candidates.length > 0) lines.push('candidates:');
  for (const candidate of choice.candidates) {
    lines.push(`  ${candidate.eligible ? '+' : '-'} ${candidate.id}`);
    for (const reason of candidate.reasons) lines.push(`      ${reason}`);
  }
  for (const note of choice.notes) lines.push(`note: ${note}`);
  for (const error of choice.sourceErrors)
    lines.push(
      `warning: source ${error.source} failed${error.stale ? ' (showing its last listing)' : ''}: ${error.message}`,
    );
  return lines.join('\n');
}
