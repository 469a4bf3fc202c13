import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, formatIssues, type Issue, SignetError } from '../../src/errors/index.ts';

/** The JSON body of every signet error response. */
export interface ErrorBody {
  readonly error: {
    /** Stable code from the catalog (docs/errors.md). */
    readonly code: ErrorCode;
    /** What went wrong and how to fix it. */
    readonly message: string;
    /** Whether repeating the request may succeed. */
    readonly retryable: boolean;
    /** The request id, also sent as the `x-request-id` header; quote it when reporting a problem. */
    readonly requestId: string;
    /** Validation problems by path, for invalid requests and inputs. */
    readonly issues?: readonly Issue[];
    /** Structured extras safe to show (DSL position, suggestions, upstream status, retry delay). */
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/** The error body OpenAI clients expect on `/v1` routes. */
export interface OpenAiErrorBody {
  readonly error: { message: string; type: string; param: string | null; code: string };
}

const INTERNAL_MESSAGE =
  'unexpected internal error; the server logged the details under this request id (report it if it persists)';

/**
 * Turns anything thrown while handling a request into a signet error: signet errors keep their code
 * (except internal ones, whose messages may carry internals and are replaced), schema validation
 * failures become SIGNET_REQUEST_INVALID with issues, Fastify's client errors map by status, and
 * everything else is SIGNET_INTERNAL with a generic message.
 */
export function toSignetError(error: unknown): SignetError {
  if (SignetError.is(error)) {
    if (error.statusCode < 500 || error.code !== 'SIGNET_INTERNAL') return error;
    return new SignetError('SIGNET_INTERNAL', INTERNAL_MESSAGE, { cause: error });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'request';
    const issues: Issue[] = error.validation.map((v) => ({
      path: v.instancePath
        .split('/')
        .filter((part) => part !== '')
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      code: v.keyword,
      message: v.message ?? 'invalid value',
    }));
    return new SignetError('SIGNET_REQUEST_INVALID', `${where} is invalid: ${formatIssues(issues)}`, {
      issues,
      details: { location: where },
    });
  }
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : 'the request is invalid';
    return new SignetError(clientCode(status), clientMessage(status, message), { cause: error });
  }
  return new SignetError('SIGNET_INTERNAL', INTERNAL_MESSAGE, { cause: error });
}

/** The signet error body for a request. */
export function errorBody(error: SignetError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      requestId,
      ...(error.issues === undefined ? {} : { issues: error.issues }),
      ...(error.details === undefined || Object.keys(error.details).length === 0
        ? {}
        : { details: error.details }),
    },
  };
}

/** The OpenAI-shaped error body for a request on the OpenAI-compatible routes. */
export function openAiErrorBody(error: SignetError): OpenAiErrorBody {
  const first = error.issues?.[0];
  return {
    error: {
      message: error.message,
      type: openAiType(error.statusCode),
      param: first !== undefined && first.path.length > 0 ? first.path.join('.') : null,
      code: error.code,
    },
  };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function clientCode(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'SIGNET_UNAUTHORIZED';
    case 403:
      return 'SIGNET_FORBIDDEN';
    case 404:
      return 'SIGNET_ROUTE_NOT_FOUND';
    case 413:
      return 'SIGNET_REQUEST_TOO_LARGE';
    case 429:
      return 'SIGNET_RATE_LIMITED';
    default:
      return 'SIGNET_REQUEST_INVALID';
  }
}

function clientMessage(status: number, message: string): string {
  if (status === 415) return `${message}; send the body as JSON with "Content-Type: application/json"`;
  if (status === 413) return `${message}; send a smaller body or split the batch`;
  return message;
}

function openAiType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
