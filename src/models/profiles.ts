import type { RoleConfig } from './models-config.ts';
import { type RoleSpec, withRoleConfig } from './roles.ts';

/** A named set of role overrides; one profile is active at a time. */
export interface Profile {
  /** Profile name (`coding`, `writing`, `research`). */
  readonly name: string;
  /** What the profile is for. */
  readonly description: string | undefined;
  /** Overrides per role name; fields set here replace the role's. */
  readonly roles: Readonly<Record<string, RoleConfig>>;
}

/** `role` with the profile's overrides for it applied (unchanged, but tagged, when the profile has none). */
export function applyProfile(role: RoleSpec, profile: Profile): RoleSpec {
  const override = Object.hasOwn(profile.roles, role.name) ? profile.roles[role.name] : undefined;
  const applied = override === undefined ? role : withRoleConfig(role, override, `profile ${profile.name}`);
  return { ...applied, profile: profile.name, profileOverrides: overriddenFields(profile, role.name) };
}

/** Names of the role fields a profile overrides, for explanations (`minContext, models`). */
export function overriddenFields(profile: Profile, role: string): string[] {
  const override = Object.hasOwn(profile.roles, role) ? profile.roles[role] : undefined;
  return override === undefined ? [] : Object.keys(override).filter((key) => key !== 'description');
}
