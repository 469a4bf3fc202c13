/**
 * The one catalog of signet error codes. Every code has an HTTP status, a retryable flag and a short
 * title; `docs/errors.md` documents each with how to fix it, and a test binds the two both ways.
 * Codes are stable: a retired code is never reused for another meaning.
 */
export interface ErrorSpec {
  /** HTTP status the server answers with when this error reaches a client. */
  readonly status: number;
  /** Whether repeating the same request may succeed (timeouts, overload, flaky model output). */
  readonly retryable: boolean;
  /** One-line description of what went wrong. */
  readonly title: string;
}

export const errorCatalog = {
  SIGNET_SIGNATURE_INVALID: { status: 400, retryable: false, title: 'Signature definition is invalid' },
  SIGNET_SIGNATURE_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No signature with that name or version',
  },
  SIGNET_SIGNATURE_DUPLICATE: {
    status: 409,
    retryable: false,
    title: 'Signature name and version already registered',
  },
  SIGNET_SIGNATURE_STATE_INVALID: {
    status: 400,
    retryable: false,
    title: 'Serialized signature cannot be loaded',
  },
  SIGNET_INPUT_INVALID: { status: 400, retryable: false, title: 'Inputs do not match the signature' },
  SIGNET_OUTPUT_INVALID: { status: 502, retryable: true, title: 'Model output does not match the signature' },
  SIGNET_PROGRAM_STATE_INVALID: { status: 400, retryable: false, title: 'Program state cannot be loaded' },
  SIGNET_PROGRAM_CONFIG_INVALID: { status: 400, retryable: false, title: 'Program configuration is invalid' },
  SIGNET_TOOL_FAILED: { status: 502, retryable: false, title: 'A tool raised an error' },
  SIGNET_STEP_LIMIT: {
    status: 422,
    retryable: false,
    title: 'Program reached its step limit without an answer',
  },
  SIGNET_REFINE_EXHAUSTED: {
    status: 422,
    retryable: false,
    title: 'Refinement did not satisfy its validators',
  },
  SIGNET_PROVIDER_ERROR: { status: 502, retryable: true, title: 'The model provider failed' },
  SIGNET_PROVIDER_TIMEOUT: { status: 504, retryable: true, title: 'The model provider timed out' },
  SIGNET_PROVIDER_UNAVAILABLE: { status: 503, retryable: true, title: 'No model provider is available' },
  SIGNET_MODEL_NOT_FOUND: { status: 404, retryable: false, title: 'Model files are not available locally' },
  SIGNET_MODEL_INVALID: { status: 500, retryable: false, title: 'Model files cannot be loaded or used' },
  SIGNET_CONTEXT_TOO_LONG: {
    status: 400,
    retryable: false,
    title: 'Prompt does not fit the model context window',
  },
  SIGNET_PROVIDER_AUTH: {
    status: 502,
    retryable: false,
    title: 'The model provider rejected the credentials',
  },
  SIGNET_PROVIDER_RATE_LIMITED: {
    status: 429,
    retryable: true,
    title: 'The model provider is rate limiting requests',
  },
  SIGNET_PROVIDER_QUOTA: {
    status: 429,
    retryable: false,
    title: 'The model provider account is out of quota',
  },
  SIGNET_PROVIDER_REJECTED: {
    status: 400,
    retryable: false,
    title: 'The model provider rejected the request',
  },
  SIGNET_REQUEST_INVALID: {
    status: 400,
    retryable: false,
    title: 'The HTTP request does not match the schema of its endpoint',
  },
  SIGNET_REQUEST_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: 'The request body exceeds the size limit',
  },
  SIGNET_ROUTE_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No endpoint at that method and path',
  },
  SIGNET_MODEL_UNKNOWN: {
    status: 404,
    retryable: false,
    title: 'No configured provider serves that model',
  },
  SIGNET_CONFIG_INVALID: {
    status: 500,
    retryable: false,
    title: 'A configuration file or environment variable is invalid',
  },
  SIGNET_ROLE_NOT_FOUND: { status: 404, retryable: false, title: 'No model role with that name' },
  SIGNET_PROFILE_NOT_FOUND: { status: 404, retryable: false, title: 'No model profile with that name' },
  SIGNET_MODEL_SWITCH_DISABLED: {
    status: 403,
    retryable: false,
    title: 'Switching models at runtime is disabled',
  },
  SIGNET_UNAUTHORIZED: {
    status: 401,
    retryable: false,
    title: 'Missing or invalid API key',
  },
  SIGNET_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: 'The API key lacks the scope this endpoint needs',
  },
  SIGNET_RATE_LIMITED: {
    status: 429,
    retryable: true,
    title: 'Too many requests for this API key or client',
  },
  SIGNET_OVERLOADED: {
    status: 503,
    retryable: true,
    title: 'The server is shedding load',
  },
  SIGNET_NOT_READY: {
    status: 503,
    retryable: true,
    title: 'The server is not ready to take traffic',
  },
  SIGNET_STORE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    title: 'The data store is busy, locked or out of space',
  },
  SIGNET_STORE_CORRUPT: {
    status: 500,
    retryable: false,
    title: 'The data store file cannot be used (corrupt, read-only or from a newer signet)',
  },
  SIGNET_SEMANTIC_UNAVAILABLE: {
    status: 500,
    retryable: false,
    title: 'The semantic cache cannot run here (its vector index addon did not load)',
  },
  SIGNET_RUN_CONFLICT: {
    status: 409,
    retryable: false,
    title: 'The run id belongs to another pipeline, other inputs, or an older version of its steps',
  },
  SIGNET_PIPELINE_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No pipeline of that name (or version) is served',
  },
  SIGNET_RUN_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No run has this id (it never existed, or was removed after its retention)',
  },
  SIGNET_RUN_FINISHED: {
    status: 409,
    retryable: false,
    title: 'The run has ended: a succeeded run cannot be resumed, an ended run cannot be cancelled',
  },
  SIGNET_RUN_ACTIVE: {
    status: 409,
    retryable: false,
    title: 'The run is queued or running, so it cannot be resumed now',
  },
  SIGNET_RUN_PROGRAM_MISSING: {
    status: 409,
    retryable: false,
    title: "The run's pipeline (or that version of it) is not served here",
  },
  SIGNET_RUN_STEP_UNCERTAIN: {
    status: 409,
    retryable: false,
    title: 'A step that must not run twice started but was never recorded, so its effect is unknown',
  },
  SIGNET_DEPENDENCY_MISSING: {
    status: 500,
    retryable: false,
    title: 'An optional package this feature needs is not installed',
  },
  SIGNET_ABORTED: { status: 499, retryable: false, title: 'The caller aborted the request' },
  SIGNET_SCRIPT_EXHAUSTED: { status: 500, retryable: false, title: 'Scripted provider has no reply left' },
  SIGNET_INTERNAL: { status: 500, retryable: false, title: 'Unexpected internal error' },
} as const satisfies Record<string, ErrorSpec>;

/** Every stable error code signet can raise. */
export type ErrorCode = keyof typeof errorCatalog;

/** Whether a string is a known signet error code. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}
