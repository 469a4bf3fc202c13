/** The cloud APIs signet reaches through Ax's built-in services. */
export type CloudProviderKind = 'openai' | 'anthropic' | 'gemini' | 'huggingface' | 'openai-compatible';

/** How a cloud API authenticates a request. */
export type CloudAuthStyle = 'bearer' | 'x-api-key' | 'x-goog-api-key';

/** What signet needs to know about one kind of cloud API, as data. */
export interface CloudKindSpec {
  /** The kind. */
  readonly kind: CloudProviderKind;
  /** Environment variables that may hold the key, in the order they are tried. */
  readonly keyEnv: readonly string[];
  /** Whether a request without a key makes sense (self-hosted OpenAI-compatible servers often need none). */
  readonly keyRequired: boolean;
  /** Environment variable that may hold the base URL (the official SDKs' names where they have one). */
  readonly baseUrlEnv?: string;
  /** Base URL used when none is given; absent when the caller must give one. Paths are appended to it. */
  readonly defaultBaseUrl?: string;
  /** How the key is sent. */
  readonly auth: CloudAuthStyle;
  /** Whether the API has an embeddings endpoint Ax can call. */
  readonly embeddings: boolean;
  /** Context window assumed when Ax's model table does not know the model. */
  readonly defaultContextWindow: number;
}

/** Every cloud kind, in a stable order (used by `cloudProviderStatus`). */
export const cloudProviderKinds: readonly CloudProviderKind[] = [
  'openai',
  'anthropic',
  'gemini',
  'huggingface',
  'openai-compatible',
];

/**
 * One entry per kind. Default context windows are conservative figures for current models of each API
 * (docs/providers/cloud.md lists them); pass `contextWindow` to `createCloudProvider` to be exact.
 */
export const cloudKindSpecs: Readonly<Record<CloudProviderKind, CloudKindSpec>> = {
  openai: {
    kind: 'openai',
    keyEnv: ['OPENAI_API_KEY'],
    keyRequired: true,
    baseUrlEnv: 'OPENAI_BASE_URL',
    defaultBaseUrl: 'https://api.openai.com/v1',
    auth: 'bearer',
    embeddings: true,
    defaultContextWindow: 128_000,
  },
  anthropic: {
    kind: 'anthropic',
    keyEnv: ['ANTHROPIC_API_KEY'],
    keyRequired: true,
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    auth: 'x-api-key',
    embeddings: false,
    defaultContextWindow: 200_000,
  },
  gemini: {
    kind: 'gemini',
    keyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    keyRequired: true,
    baseUrlEnv: 'GEMINI_BASE_URL',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    auth: 'x-goog-api-key',
    embeddings: true,
    defaultContextWindow: 1_048_576,
  },
  huggingface: {
    kind: 'huggingface',
    keyEnv: ['HF_TOKEN'],
    keyRequired: true,
    defaultBaseUrl: 'https://router.huggingface.co/v1',
    auth: 'bearer',
    embeddings: false,
    defaultContextWindow: 32_768,
  },
  'openai-compatible': {
    kind: 'openai-compatible',
    keyEnv: ['OPENAI_COMPATIBLE_API_KEY'],
    keyRequired: false,
    baseUrlEnv: 'OPENAI_COMPATIBLE_BASE_URL',
    auth: 'bearer',
    embeddings: true,
    defaultContextWindow: 8_192,
  },
};
