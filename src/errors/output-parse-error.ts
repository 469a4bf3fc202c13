import type { Issue } from './issue.ts';
import { SignetError } from './signet-error.ts';

/**
 * Raised when a model's output still fails the signature after every re-ask. Carries the raw text of the
 * last reply so the caller can log or inspect it, and the number of attempts made.
 */
export class OutputParseError extends SignetError {
  readonly rawText: string;
  readonly attempts: number;

  constructor(
    message: string,
    options: { rawText: string; attempts: number; issues: readonly Issue[]; cause?: unknown },
  ) {
    super('SIGNET_OUTPUT_INVALID', message, {
      issues: options.issues,
      cause: options.cause,
      details: { attempts: options.attempts },
    });
    this.name = 'OutputParseError';
    this.rawText = options.rawText;
    this.attempts = options.attempts;
  }
}
