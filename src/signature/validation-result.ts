import type { z } from 'zod';
import type { Issue } from '../errors/issue.ts';

/** The outcome of checking a value against a signature: the parsed value, or the issues found. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** Runs a zod schema and maps its issues to signet's issue shape. */
export function validateWith<T>(schema: z.ZodType, value: unknown): ValidationResult<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data as T };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
      code: issue.code,
      message: issue.message,
    })),
  };
}
