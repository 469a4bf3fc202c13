import type { RegexAutomaton } from '../regex/regex-automaton.ts';
import type { LiteralTrie } from './literal-trie.ts';
import type { NumberBounds } from './number-bounds.ts';

/**
 * The compiled form of a JSON Schema: a graph of nodes (cyclic when the schema recurses through `$ref`).
 * Nodes are built once per schema and never change after compilation.
 */
export type GrammarNode =
  | RootNode
  | ObjectNode
  | ArrayNode
  | StringNode
  | NumberNode
  | LiteralNode
  | UnionNode;

/** The document: one value and nothing after it. */
export interface RootNode {
  /** Discriminant. */
  readonly kind: 'root';
  /** Unique within the grammar; part of state fingerprints. */
  readonly id: number;
  /** The top-level value. */
  value: GrammarNode;
}

/** One declared property of an object. */
export interface PropertyNode {
  /** Property name. */
  readonly name: string;
  /** Whether it must appear. */
  readonly required: boolean;
  /** Schema of its value. */
  value: GrammarNode;
}

/** An object: declared properties in order (each at most once, optional ones may be skipped) or free keys. */
export interface ObjectNode {
  /** Discriminant. */
  readonly kind: 'object';
  /** Unique within the grammar. */
  readonly id: number;
  /** Declared properties in schema order (empty for a free object). */
  properties: PropertyNode[];
  /** For each start index i: the trie of `"name"` of the properties that may come next, valued by index. */
  keyTries: LiteralTrie[];
  /** `requiredFrom[i]`: whether a required property exists at an index >= i. */
  requiredFrom: boolean[];
  /** Free objects: schema of keys (a string) and of every value; undefined for declared objects. */
  free: { key: StringNode; value: GrammarNode } | undefined;
}

/** An array: positional items first, then `items` for the rest, with count bounds. */
export interface ArrayNode {
  /** Discriminant. */
  readonly kind: 'array';
  /** Unique within the grammar. */
  readonly id: number;
  /** `prefixItems`: schemas of the first items. */
  prefix: GrammarNode[];
  /** Schema of the items after the prefix; undefined when no more items are allowed. */
  items: GrammarNode | undefined;
  /** Fewest items. */
  minItems: number;
  /** Most items (Infinity when unbounded; already capped by the prefix when `items` is undefined). */
  maxItems: number;
}

/** A string with optional length bounds and pattern. */
export interface StringNode {
  /** Discriminant. */
  readonly kind: 'string';
  /** Unique within the grammar. */
  readonly id: number;
  /** Fewest characters, counted in code points (the stricter count for a lower bound). */
  readonly minLength: number;
  /** Most characters, counted in UTF-16 code units (the stricter count for an upper bound; zod's count). */
  readonly maxLength: number;
  /** Automaton of the pattern (or built-in format pattern) the decoded text must match. */
  readonly pattern: RegexAutomaton | undefined;
}

/**
 * A JSON number or integer within exact decimal bounds (always finite: at most ±Number.MAX_VALUE).
 * `integer` numbers are written without fraction or exponent.
 */
export interface NumberNode extends NumberBounds {
  /** Discriminant. */
  readonly kind: 'number';
  /** Unique within the grammar. */
  readonly id: number;
}

/** One of a fixed set of JSON texts (enum, const, booleans, null). */
export interface LiteralNode {
  /** Discriminant. */
  readonly kind: 'literal';
  /** Unique within the grammar. */
  readonly id: number;
  /** The canonical JSON texts allowed. */
  readonly texts: readonly string[];
  /** Byte trie of `texts`. */
  readonly trie: LiteralTrie;
}

/** Any of several schemas (`anyOf`, `oneOf`, type lists, unknown values). */
export interface UnionNode {
  /** Discriminant. */
  readonly kind: 'union';
  /** Unique within the grammar. */
  readonly id: number;
  /** The alternatives (never unions themselves: nested unions are flattened when compiled). */
  options: GrammarNode[];
  /** Whether some alternative is not an object or array (lets the depth limit prune containers). */
  hasScalar: boolean;
}
