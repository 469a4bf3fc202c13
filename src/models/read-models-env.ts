import type { Issue } from '../errors/issue.ts';

/** What the environment overrides, before it is checked against the config. */
export interface ModelsEnv {
  /** `SIGNET_PROFILE`: the active profile. */
  readonly profile: string | undefined;
  /** `SIGNET_ALLOW_MODEL_SWITCH`: runtime switching on or off. */
  readonly allowRuntimeSwitch: boolean | undefined;
  /** `SIGNET_MODEL_<ROLE>`: pinned model per variable name (role names are checked by the loader). */
  readonly pins: readonly { readonly variable: string; readonly modelId: string }[];
  /** Malformed values, each naming its variable in `path`. */
  readonly issues: readonly Issue[];
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Reads the model-registry variables; empty values count as unset. */
export function readModelsEnv(env: Readonly<Record<string, string | undefined>>): ModelsEnv {
  const issues: Issue[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const switchRaw = value('SIGNET_ALLOW_MODEL_SWITCH');
  let allowRuntimeSwitch: boolean | undefined;
  if (switchRaw !== undefined) {
    const lower = switchRaw.toLowerCase();
    if (TRUE.has(lower)) allowRuntimeSwitch = true;
    else if (FALSE.has(lower)) allowRuntimeSwitch = false;
    else
      issues.push({
        path: ['SIGNET_ALLOW_MODEL_SWITCH'],
        code: 'invalid_value',
        message: `expected 1, 0, true or false, received ${JSON.stringify(switchRaw)}`,
      });
  }
  const pins = Object.keys(env)
    .filter((name) => name.startsWith('SIGNET_MODEL_') && value(name) !== undefined)
    .sort()
    .map((variable) => ({ variable, modelId: value(variable) ?? '' }));
  return { profile: value('SIGNET_PROFILE'), allowRuntimeSwitch, pins, issues };
}
