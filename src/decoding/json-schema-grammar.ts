import { hashCanonical } from '../util/canonical-json.ts';
import { createGrammarEngine, type GrammarEngine } from './grammar/grammar-engine.ts';
import type { GrammarState } from './grammar/grammar-state.ts';
import type { GrammarWarning } from './grammar/scalar-nodes.ts';
import { SchemaCompiler } from './grammar/schema-compiler.ts';

export type { GrammarState } from './grammar/grammar-state.ts';
export type { GrammarWarning } from './grammar/scalar-nodes.ts';

/** How much freedom the grammar leaves around JSON tokens. */
export interface JsonGrammarOptions {
  /**
   * Most whitespace bytes (space, tab, newline, CR) in one gap between JSON tokens; none before the
   * document or after it. Default 1: compact JSON, optionally with one space or newline per gap, which
   * keeps small models from looping on whitespace.
   */
  readonly maxWhitespace?: number;
  /**
   * Nesting depth from which values of unknown shape (`{}`, `json` fields) may no longer open objects or
   * arrays. Default 8.
   */
  readonly maxDepth?: number;
  /**
   * Most characters in one number (sign, digits, point, exponent). Default 24: every double fits, and a
   * model that keeps emitting digits is made to end the number.
   */
  readonly maxNumberLength?: number;
  /**
   * Write numbers that have bounds as plain decimals, without an exponent (default false). With an
   * exponent any prefix can still be brought into bounds (`9` may become `9e-1`), so a sampling model
   * can wander through digits; without one, a prefix that leaves the bounds is cut at once. Signet's
   * local models use it.
   */
  readonly plainBoundedNumbers?: boolean;
}

/**
 * A JSON Schema compiled into a byte-level pushdown automaton. States are immutable values: `advance`
 * returns a new state (or undefined when the byte would leave the grammar), so callers can branch freely.
 */
export interface JsonGrammar extends GrammarEngine {
  /** SHA-256 of the canonical schema and the options: equal schemas share compiled grammars. */
  readonly hash: string;
  /** The schema this grammar follows. */
  readonly schema: unknown;
  /** The options in effect. */
  readonly options: Required<JsonGrammarOptions>;
  /** Schema parts the grammar does not enforce (unsupported keywords or patterns). */
  readonly warnings: readonly GrammarWarning[];
}

function resolveOptions(options: JsonGrammarOptions): Required<JsonGrammarOptions> {
  const maxWhitespace = options.maxWhitespace ?? 1;
  const maxDepth = options.maxDepth ?? 8;
  const maxNumberLength = options.maxNumberLength ?? 24;
  if (!Number.isInteger(maxNumberLength) || maxNumberLength < 2)
    throw new RangeError('maxNumberLength must be >= 2');
  if (!Number.isInteger(maxWhitespace) || maxWhitespace < 0)
    throw new RangeError('maxWhitespace must be >= 0');
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new RangeError('maxDepth must be >= 1');
  return {
    maxWhitespace,
    maxDepth,
    maxNumberLength,
    plainBoundedNumbers: options.plainBoundedNumbers ?? false,
  };
}

/**
 * Compiles a JSON Schema. Throws `SIGNET_SIGNATURE_INVALID` when the schema allows no value or is
 * malformed; unsupported keywords become `warnings` instead.
 */
export function compileJsonSchemaGrammar(schema: unknown, options: JsonGrammarOptions = {}): JsonGrammar {
  const resolved = resolveOptions(options);
  const compiler = new SchemaCompiler(schema, { plainBoundedNumbers: resolved.plainBoundedNumbers });
  const root = compiler.compileRoot();
  return {
    ...createGrammarEngine(root, resolved),
    hash: hashCanonical({ schema, options: resolved }),
    schema,
    options: resolved,
    warnings: Object.freeze([...compiler.warnings]),
  };
}

/** Feeds a whole byte sequence; undefined as soon as one byte is rejected. */
export function advanceBytes(
  grammar: GrammarEngine,
  state: GrammarState,
  bytes: Uint8Array,
): GrammarState | undefined {
  let current: GrammarState | undefined = state;
  for (let i = 0; i < bytes.length && current !== undefined; i++)
    current = grammar.advance(current, bytes[i] ?? 0);
  return current;
}

/** Whether `text` is a complete document of the grammar (handy in tests and for checking outputs). */
export function grammarAccepts(grammar: JsonGrammar, text: string): boolean {
  const state = advanceBytes(grammar, grammar.initial, new TextEncoder().encode(text));
  return state !== undefined && grammar.isComplete(state);
}

/** Compiled grammars keyed by schema hash, least recently used dropped first. */
export interface GrammarCache {
  /** The grammar of `schema` (compiled on first use). */
  get(schema: unknown, options?: JsonGrammarOptions): JsonGrammar;
  /** Number of grammars held. */
  readonly size: number;
}

/** Creates a grammar cache holding at most `maxEntries` grammars (default 64). */
export function createGrammarCache(maxEntries = 64): GrammarCache {
  const entries = new Map<string, JsonGrammar>();
  return {
    get(schema, options = {}) {
      const key = hashCanonical({ schema, options: resolveOptions(options) });
      const found = entries.get(key);
      if (found !== undefined) {
        entries.delete(key);
        entries.set(key, found);
        return found;
      }
      const grammar = compileJsonSchemaGrammar(schema, options);
      entries.set(key, grammar);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return grammar;
    },
    get size() {
      return entries.size;
    },
  };
}
