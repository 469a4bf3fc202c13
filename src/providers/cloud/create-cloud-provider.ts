import { SignetError } from '../../errors/signet-error.ts';
import { checkCloudHealth } from './check-cloud-health.ts';
import { cloudCapabilities } from './cloud-capabilities.ts';
import { type CloudProviderKind, cloudKindSpecs } from './cloud-kind-specs.ts';
import { CloudProvider } from './cloud-provider.ts';
import { createAxService } from './create-ax-service.ts';
import { resolveCloudCredentials } from './resolve-cloud-credentials.ts';
import { createResponseCapture } from './response-capture.ts';

/** Options of `createCloudProvider`. */
export interface CloudProviderOptions {
  /** Which API to call. */
  readonly kind: CloudProviderKind;
  /** Model name as the API knows it (`gpt-4o-mini`, `claude-haiku-4-5`, `gemini-2.5-flash`, ...). */
  readonly model: string;
  /** The key; default: the kind's environment variable (docs/providers/cloud.md). */
  readonly apiKey?: string;
  /** Base URL the API paths are appended to; default: the kind's environment variable, else the public API. */
  readonly baseUrl?: string;
  /** Where keys and base URLs are looked up (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** The fetch to send requests with (default the global fetch). */
  readonly fetch?: typeof fetch;
  /** Whether chat streams by default (default true, as in Ax). Callers can still choose per call. */
  readonly stream?: boolean;
  /** Context window to declare, when the model is not in Ax's table or the default is wrong. */
  readonly contextWindow?: number;
  /**
   * Requests the API takes at once, declared in `capabilities` (default 512). The router's bulkhead for
   * a deployment over HTTP defaults to 512 in flight; limit it with the deployment's `policy.bulkhead`.
   */
  readonly maxConcurrency?: number;
}

/**
 * A signet provider for a cloud API, built on Ax's own service for it: `openai`, `anthropic`, `gemini`,
 * `huggingface` (the Hugging Face router, OpenAI dialect) or any `openai-compatible` server. Keys come
 * from the options or the environment and a missing one fails here with SIGNET_PROVIDER_UNAVAILABLE.
 * Ax's retries are off; the router is the one retry owner.
 */
export function createCloudProvider(options: CloudProviderOptions): CloudProvider {
  const { kind } = options;
  if (!Object.hasOwn(cloudKindSpecs, kind)) {
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `unknown cloud provider kind "${String(kind)}"; use one of ${Object.keys(cloudKindSpecs).join(', ')}`,
    );
  }
  if (options.model.trim() === '') {
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `${kind}: no model given; pass model, e.g. "gpt-4o-mini"`,
    );
  }
  const { key, baseUrl } = resolveCloudCredentials({
    kind,
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    env: options.env ?? process.env,
  });
  const capture = createResponseCapture(options.fetch);
  const service = createAxService(kind, {
    model: options.model,
    apiKey: key?.value,
    baseUrl,
    stream: options.stream ?? true,
    fetch: capture.fetch,
  });
  const capabilities = cloudCapabilities({
    kind,
    model: options.model,
    features: service.getFeatures(options.model),
    contextWindow: options.contextWindow,
    maxConcurrency: options.maxConcurrency,
  });
  const healthFetch = options.fetch ?? globalThis.fetch;
  return new CloudProvider({
    kind,
    model: options.model,
    service,
    capture,
    key,
    baseUrl,
    capabilities,
    health: (signal) => checkCloudHealth({ kind, baseUrl, key, fetch: healthFetch }, signal),
  });
}
