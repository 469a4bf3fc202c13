import { SignetError } from '../../errors/signet-error.ts';
import { compileRegex, type RegexAutomaton } from '../regex/regex-automaton.ts';
import { UnsupportedPatternError } from '../regex/regex-parser.ts';
import {
  compareDecimal,
  type Decimal,
  decimalFromNumber,
  maxDecimal,
  minDecimal,
  nextDown,
  nextUp,
} from './decimal.ts';
import { formatPattern } from './format-patterns.ts';
import type { LiteralNode, NumberNode, StringNode } from './grammar-nodes.ts';
import { buildLiteralTrie } from './literal-trie.ts';
import { canReach, prepareBounds } from './number-bounds.ts';

/** Something in the schema the grammar does not enforce; the text may still fail full validation. */
export interface GrammarWarning {
  /** JSON Pointer-like path of the schema location. */
  readonly path: string;
  /** What is not enforced and what the grammar does instead. */
  readonly message: string;
}

/** A JSON Schema object. */
export type Schema = Record<string, unknown>;

const MAX: Decimal = decimalFromNumber(Number.MAX_VALUE);
const MIN: Decimal = decimalFromNumber(-Number.MAX_VALUE);

/** Whether `value` is a schema object (not an array, not null). */
export function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error for a malformed schema. */
export function invalidSchema(path: string, message: string): SignetError {
  return new SignetError(
    'SIGNET_SIGNATURE_INVALID',
    `JSON Schema at ${path}: ${message}; fix the output schema`,
    {
      details: { path },
    },
  );
}

/** The error for a schema no value satisfies (marked so unions can drop such alternatives). */
export function unsatisfiable(path: string, message: string): SignetError {
  return new SignetError(
    'SIGNET_SIGNATURE_INVALID',
    `JSON Schema at ${path} allows no value (${message}); relax the constraint so a model can satisfy it`,
    { details: { path, unsatisfiable: true } },
  );
}

/** Whether `error` is an {@link unsatisfiable} error. */
export function isUnsatisfiable(error: unknown): error is SignetError {
  return SignetError.is(error) && error.details?.unsatisfiable === true;
}

/** A non-negative integer keyword, or `fallback` when absent. */
export function nonNegative(value: unknown, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidSchema(
      path,
      `length and count bounds must be non-negative integers, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A literal-set node over canonical JSON texts. */
export function literalNode(id: number, texts: string[]): LiteralNode {
  return { kind: 'literal', id, texts, trie: buildLiteralTrie(texts) };
}

function patternOf(schema: Schema, path: string, warnings: GrammarWarning[]): RegexAutomaton | undefined {
  const sources: string[] = [];
  if (typeof schema.pattern === 'string') sources.push(schema.pattern);
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const builtIn = format === undefined ? undefined : formatPattern(format);
  if (builtIn !== undefined) sources.push(builtIn);
  for (const source of sources) {
    try {
      const automaton = compileRegex(source);
      if (automaton.minRemaining(automaton.initial) === Number.POSITIVE_INFINITY) {
        throw unsatisfiable(path, `pattern /${source}/ matches nothing`);
      }
      return automaton;
    } catch (error) {
      if (!(error instanceof UnsupportedPatternError)) throw error;
      warnings.push({ path, message: `pattern /${source}/ is not enforced: ${error.message}` });
    }
  }
  if (format !== undefined && builtIn === undefined && sources.length === 0) {
    warnings.push({ path, message: `format "${format}" is not enforced (decoded as a plain string)` });
  }
  return undefined;
}

/**
 * A string node: length bounds, and the pattern (or, without a usable pattern, the built-in pattern of
 * its format). Unsupported patterns become warnings.
 */
export function stringNode(id: number, schema: Schema, path: string, warnings: GrammarWarning[]): StringNode {
  const minLength = nonNegative(schema.minLength, 0, path);
  const maxLength = nonNegative(schema.maxLength, Number.POSITIVE_INFINITY, path);
  if (minLength > maxLength) throw unsatisfiable(path, `minLength ${minLength} > maxLength ${maxLength}`);
  const pattern = patternOf(schema, path, warnings);
  if (pattern !== undefined) {
    const start = pattern.initial;
    if (pattern.minRemaining(start) > maxLength || pattern.maxRemaining(start) < minLength) {
      throw unsatisfiable(path, `pattern /${pattern.source}/ cannot meet the length bounds`);
    }
  }
  return { kind: 'string', id, minLength, maxLength, pattern };
}

/**
 * A number node with exact inclusive bounds: `minimum`/`maximum`, exclusive bounds as the next double
 * inside (so the parsed value is strictly inside too), and always within ±Number.MAX_VALUE.
 */
export function numberNode(
  id: number,
  schema: Schema,
  integer: boolean,
  path: string,
  plainWhenBounded = false,
): NumberNode {
  const bound = (key: string): number | undefined => {
    const value = schema[key];
    if (value === undefined || typeof value === 'boolean') return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidSchema(path, `${key} must be a finite number`);
    }
    return value;
  };
  const min = bound('minimum');
  const max = bound('maximum');
  // Draft 4 spelled exclusive bounds as booleans next to minimum/maximum.
  const oldStyleMin = schema.exclusiveMinimum === true;
  const oldStyleMax = schema.exclusiveMaximum === true;
  const exMin = bound('exclusiveMinimum') ?? (oldStyleMin ? min : undefined);
  const exMax = bound('exclusiveMaximum') ?? (oldStyleMax ? max : undefined);
  let lower = MIN;
  let upper = MAX;
  if (min !== undefined && !oldStyleMin) lower = maxDecimal(lower, decimalFromNumber(min));
  if (max !== undefined && !oldStyleMax) upper = minDecimal(upper, decimalFromNumber(max));
  if (exMin !== undefined) lower = maxDecimal(lower, decimalFromNumber(nextUp(exMin)));
  if (exMax !== undefined) upper = minDecimal(upper, decimalFromNumber(nextDown(exMax)));
  const bounded = [min, max, exMin, exMax].some((b) => b !== undefined);
  const bounds = { ...prepareBounds(integer, lower, upper), plain: plainWhenBounded && bounded && !integer };
  if (compareDecimal(lower, upper) > 0 || ![...'-0123456789'].some((c) => canReach(bounds, c))) {
    throw unsatisfiable(path, `no ${integer ? 'integer' : 'number'} lies within the bounds`);
  }
  return { kind: 'number', id, ...bounds };
}
