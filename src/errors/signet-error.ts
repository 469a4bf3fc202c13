import { type ErrorCode, errorCatalog } from './error-catalog.ts';
import type { Issue } from './issue.ts';

const SIGNET_ERROR = Symbol.for('signet.error');

/** Options every signet error accepts besides its code and message. */
export interface SignetErrorOptions {
  /** The underlying error, kept for logs and debugging. */
  readonly cause?: unknown;
  /** Validation problems, when the error is about a value's shape. */
  readonly issues?: readonly Issue[];
  /** Extra structured data safe to show to the caller (never secrets or prompt text). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The base of every error signet raises. `code` is stable and documented in docs/errors.md; `statusCode`
 * and `retryable` come from the catalog so they are decided in one place.
 */
export class SignetError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly retryable: boolean;
  readonly issues: readonly Issue[] | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, options: SignetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const spec = errorCatalog[code];
    this.name = 'SignetError';
    this.code = code;
    this.statusCode = spec.status;
    this.retryable = spec.retryable;
    this.issues = options.issues;
    this.details = options.details;
    // Non-enumerable, so copies made by spreading an error are not mistaken for signet errors.
    Object.defineProperty(this, SIGNET_ERROR, { value: true });
  }

  /** True for signet errors from any copy of the library (works across module instances). */
  static is(value: unknown): value is SignetError {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SIGNET_ERROR] === true
    );
  }

  /** The JSON body the server sends: `{ code, message, retryable, issues? }`. */
  toJSON(): { code: ErrorCode; message: string; retryable: boolean; issues?: readonly Issue[] } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.issues === undefined ? {} : { issues: this.issues }),
    };
  }
}
