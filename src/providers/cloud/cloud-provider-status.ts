import { type CloudProviderKind, cloudKindSpecs, cloudProviderKinds } from './cloud-kind-specs.ts';
import { findBaseUrl, findCloudKey } from './resolve-cloud-credentials.ts';

/** Whether one cloud kind can be used with the current environment. Never contains a key. */
export interface CloudKindStatus {
  /** The kind. */
  readonly kind: CloudProviderKind;
  /** True when `createCloudProvider({ kind, model })` would find what it needs in the environment. */
  readonly available: boolean;
  /** Name of the environment variable that holds the key, when one does. */
  readonly keyEnv?: string;
  /** What to set to make the kind available, when it is not. */
  readonly hint?: string;
}

/**
 * Which cloud kinds the environment is configured for, for the model registry. Reads only the names
 * and presence of variables; the returned value never holds a key.
 */
export function cloudProviderStatus(env: NodeJS.ProcessEnv = process.env): CloudKindStatus[] {
  return cloudProviderKinds.map((kind) => {
    const spec = cloudKindSpecs[kind];
    const key = findCloudKey(spec, env);
    const keyEnv = key === undefined ? {} : { keyEnv: key.source };
    if (key === undefined && spec.keyRequired) {
      return { kind, available: false, hint: `set ${spec.keyEnv.join(' or ')}` };
    }
    if (findBaseUrl(spec, env) === undefined) {
      return { kind, available: false, ...keyEnv, hint: `set ${spec.baseUrlEnv ?? 'a base URL'}` };
    }
    return { kind, available: true, ...keyEnv };
  });
}
