import { SignetError } from '../../errors/signet-error.ts';
import { type CloudKindSpec, type CloudProviderKind, cloudKindSpecs } from './cloud-kind-specs.ts';

/** A key and where it came from. */
export interface FoundKey {
  /** The secret itself: never log or echo it. */
  readonly value: string;
  /** `apiKey option` or the name of the environment variable that held it. */
  readonly source: string;
}

/** Everything a cloud provider needs to reach its API. */
export interface CloudCredentials {
  /** The key, or undefined for a keyless OpenAI-compatible server. */
  readonly key: FoundKey | undefined;
  /** Base URL without a trailing slash; request paths are appended to it. */
  readonly baseUrl: string;
}

/** What `resolveCloudCredentials` reads. */
export interface CloudCredentialInput {
  /** The kind of API. */
  readonly kind: CloudProviderKind;
  /** A key given explicitly; wins over the environment. */
  readonly apiKey?: string | undefined;
  /** A base URL given explicitly; wins over the environment. */
  readonly baseUrl?: string | undefined;
  /** Where to look for keys and base URLs. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Finds the key and base URL for a kind, from options first and then the environment. A missing key or
 * base URL fails here, when the provider is created, with a message naming the variable to set.
 */
export function resolveCloudCredentials(input: CloudCredentialInput): CloudCredentials {
  const spec = cloudKindSpecs[input.kind];
  const key = findCloudKey(spec, input.env, input.apiKey);
  if (key === undefined && spec.keyRequired) {
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `${spec.kind}: no API key; set ${spec.keyEnv.join(' or ')} or pass apiKey to createCloudProvider`,
      { details: { provider: spec.kind, env: spec.keyEnv } },
    );
  }
  const rawUrl = findBaseUrl(spec, input.env, input.baseUrl);
  if (rawUrl === undefined) {
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `${spec.kind}: no base URL; set ${spec.baseUrlEnv ?? 'a base URL'} or pass baseUrl to createCloudProvider (e.g. http://127.0.0.1:8000/v1)`,
      { details: { provider: spec.kind } },
    );
  }
  return { key, baseUrl: checkBaseUrl(spec, rawUrl) };
}

/** The key for a kind: the explicit one, else the first non-empty environment variable of the kind. */
export function findCloudKey(
  spec: CloudKindSpec,
  env: NodeJS.ProcessEnv,
  explicit?: string | undefined,
): FoundKey | undefined {
  if (explicit !== undefined && explicit.trim() !== '')
    return { value: explicit.trim(), source: 'apiKey option' };
  for (const name of spec.keyEnv) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return { value, source: name };
  }
  return undefined;
}

/** The base URL for a kind: explicit, else its environment variable, else the API's public address. */
export function findBaseUrl(
  spec: CloudKindSpec,
  env: NodeJS.ProcessEnv,
  explicit?: string | undefined,
): string | undefined {
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim();
  const fromEnv = spec.baseUrlEnv === undefined ? undefined : env[spec.baseUrlEnv]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return spec.defaultBaseUrl;
}

/** A base URL safe to show: scheme, host and path only (no user info, query or fragment). */
export function displayBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function checkBaseUrl(spec: CloudKindSpec, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // The URL itself is not echoed: it may carry credentials.
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `${spec.kind}: the base URL is not an http(s) URL; give one like https://host/v1`,
      { details: { provider: spec.kind } },
    );
  }
  return raw.replace(/\/+$/, '');
}
