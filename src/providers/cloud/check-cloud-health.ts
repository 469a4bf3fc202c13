import { providerError } from '../shared/provider-error.ts';
import type { ProviderHealth } from '../shared/signet-provider.ts';
import { type CloudProviderKind, cloudKindSpecs } from './cloud-kind-specs.ts';
import { redactSecrets } from './redact-secrets.ts';
import type { FoundKey } from './resolve-cloud-credentials.ts';
import { networkReason, upstreamHttpError } from './translate-cloud-error.ts';

/** What a health check needs. */
export interface CloudHealthInput {
  /** The kind of API. */
  readonly kind: CloudProviderKind;
  /** Base URL of the API. */
  readonly baseUrl: string;
  /** The key, if any. */
  readonly key: FoundKey | undefined;
  /** The fetch to use. */
  readonly fetch: typeof fetch;
}

/** Anthropic requires an API version header on every request. */
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Lists the API's models (`GET {baseUrl}/models`): it proves the API answers and accepts the key without
 * spending tokens. Never throws; a failure comes back as `ok: false` with the signet error's message.
 */
export async function checkCloudHealth(
  input: CloudHealthInput,
  signal?: AbortSignal,
): Promise<ProviderHealth> {
  const started = performance.now();
  const secrets = input.key === undefined ? [] : [input.key.value];
  try {
    const response = await input.fetch(`${input.baseUrl}/models`, {
      method: 'GET',
      headers: authHeaders(input),
      ...(signal === undefined ? {} : { signal }),
    });
    const latencyMs = performance.now() - started;
    if (response.ok) {
      await response.body?.cancel();
      return { ok: true, latencyMs };
    }
    const body = await response.text();
    const retryAfter = response.headers.get('retry-after') ?? undefined;
    const error = upstreamHttpError(response.status, response.statusText, body, {
      provider: input.kind,
      record: { attempts: 1, status: response.status, ...(retryAfter === undefined ? {} : { retryAfter }) },
      secrets,
      keySource: input.key?.source,
    });
    return { ok: false, latencyMs, message: error.message };
  } catch (error) {
    const latencyMs = performance.now() - started;
    if (signal?.aborted)
      return { ok: false, latencyMs, message: `${input.kind}: the health check was aborted` };
    const reason = error instanceof Error ? networkReason(error) : String(error);
    const failure = providerError({ provider: input.kind, message: `cannot reach the API: ${reason}` });
    return { ok: false, latencyMs, message: redactSecrets(failure.message, secrets) };
  }
}

function authHeaders({ kind, key }: CloudHealthInput): Record<string, string> {
  if (key === undefined) return {};
  switch (cloudKindSpecs[kind].auth) {
    case 'bearer':
      return { authorization: `Bearer ${key.value}` };
    case 'x-api-key':
      return { 'x-api-key': key.value, 'anthropic-version': ANTHROPIC_VERSION };
    case 'x-goog-api-key':
      return { 'x-goog-api-key': key.value };
  }
}
