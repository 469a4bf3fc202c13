import type { RoleAssignment } from '../provider-resolver.ts';

/** Longest explanation kept per unserved role, so the start-up line stays one readable line. */
const MAX_REASON = 160;

/**
 * One line for the start-up log from the resolver's role assignments (`providers.roles()`), e.g.
 * `planner -> ollama:qwen3:8b on ollama, embedder -> none (no model meets the requirements of role embedder)`.
 */
export function describeRoles(roles: readonly RoleAssignment[]): string {
  return roles
    .map(({ role, chosen, reason = '' }) => {
      if (chosen !== undefined) return `${role} -> ${chosen.id} on ${chosen.deployment}`;
      const short = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 3)}...` : reason;
      return `${role} -> none (${short})`;
    })
    .join(', ');
}
