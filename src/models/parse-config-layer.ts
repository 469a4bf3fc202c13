import type { z } from 'zod';
import type { Issue } from '../errors/issue.ts';
import { SignetError } from '../errors/signet-error.ts';
import { type ModelsConfigFile, modelsConfigFileSchema } from './models-config.ts';
import { suggestName } from './suggest-name.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

type RawIssue = z.core.$ZodRawIssue;

/** Messages that say what was expected and what was found, e.g. `expected number, received string "8k"`. */
function message(issue: RawIssue, knownKeys: Map<string, string[]>): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'an integer' : issue.expected;
      return `expected ${expected}, received ${describe(issue.input)}`;
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin !== 'number') return undefined;
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      return `expected a number ${op} ${String(bound)}, received ${describe(issue.input)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, received ${describe(issue.input)}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { shape?: Record<string, unknown> } | undefined)?.shape;
      knownKeys.set((issue.path ?? []).join('\u0000'), Object.keys(shape ?? {}));
      return undefined;
    }
    default:
      return undefined;
  }
}

/** zod issues as signet issues, one per unknown key, with suggestions for misspelled keys. */
function toIssues(error: z.ZodError, knownKeys: Map<string, string[]>): Issue[] {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys.get(path.join('\u0000')) ?? [];
      for (const key of issue.keys) {
        const suggestion = suggestName(key, known);
        const hint =
          suggestion === undefined ? `known keys: ${known.join(', ')}` : `did you mean "${suggestion}"?`;
        issues.push({ path: [...path, key], code: issue.code, message: `unknown key (${hint})` });
      }
    } else if (issue.code === 'invalid_key') {
      issues.push({
        path,
        code: issue.code,
        message: `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`,
      });
    } else {
      issues.push({ path, code: issue.code, message: issue.message });
    }
  }
  return issues;
}

/** The SIGNET_CONFIG_INVALID error for problems in one file or variable, named first in the message. */
export function configError(where: string, issues: readonly Issue[], cause?: unknown): SignetError {
  const text = issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return new SignetError('SIGNET_CONFIG_INVALID', `${where}: ${text.join('; ')}`, {
    issues,
    details: { file: where },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** Parses JSON text of a config file; a syntax error names the file, line and column. */
export function parseConfigJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(reason);
    const at = position === null ? '' : ` at ${lineColumn(text, Number(position[1]))}`;
    throw configError(
      where,
      [{ path: [], code: 'invalid_json', message: `invalid JSON${at}: ${reason}` }],
      error,
    );
  }
}

/**
 * Validates one config layer. Every problem is reported with its exact key path and why, e.g.
 * `config/user_models.json: roles.planner.minContext: expected number, received string "8k"`.
 */
export function parseConfigLayer(data: unknown, where: string): ModelsConfigFile {
  const knownKeys = new Map<string, string[]>();
  const result = modelsConfigFileSchema.safeParse(data, { error: (issue) => message(issue, knownKeys) });
  if (result.success) return result.data;
  throw configError(where, toIssues(result.error, knownKeys));
}
