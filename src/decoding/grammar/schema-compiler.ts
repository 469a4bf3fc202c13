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
import type { ArrayNode, GrammarNode, ObjectNode, RootNode, StringNode, UnionNode } from './grammar-nodes.ts';
import { buildLiteralTrie } from './literal-trie.ts';
import { canReach } from './number-bounds.ts';

/** Something in the schema the grammar does not enforce; the text may still fail full validation. */
export interface GrammarWarning {
  /** JSON Pointer-like path of the schema location. */
  readonly path: string;
  /** What is not enforced and what the grammar does instead. */
  readonly message: string;
}

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set([
  'description',
  'title',
  '$schema',
  '$id',
  '$comment',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$defs',
  'definitions',
  'contentEncoding',
  'contentMediaType',
  'propertyNames',
]);
const IGNORED = [
  'multipleOf',
  'uniqueItems',
  'contains',
  'minProperties',
  'maxProperties',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'unevaluatedProperties',
];
const STRING_KEYS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_KEYS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const MAX: Decimal = decimalFromNumber(Number.MAX_VALUE);
const MIN: Decimal = decimalFromNumber(-Number.MAX_VALUE);

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles JSON Schema (draft 2020-12, as zod 4 emits it) into grammar nodes. Throws for unsatisfiable schemas. */
export class SchemaCompiler {
  readonly warnings: GrammarWarning[] = [];
  readonly #document: unknown;
  readonly #memo = new Map<Schema, GrammarNode>();
  #nextId = 1;
  #any: UnionNode | undefined;

  constructor(document: unknown) {
    this.#document = document;
  }

  /** The root node of the whole document. */
  compileRoot(): RootNode {
    return { kind: 'root', id: 0, value: this.compile(this.#document, '#') };
  }

  compile(schema: unknown, path: string): GrammarNode {
    if (schema === true) return this.#anyValue();
    if (schema === false) throw unsatisfiable(path, 'the schema `false` allows no value');
    if (!isSchema(schema)) throw invalid(path, 'a schema must be an object or a boolean');
    const known = this.#memo.get(schema);
    if (known !== undefined) return known;
    for (const key of IGNORED) {
      if (key in schema) this.warnings.push({ path, message: `"${key}" is not enforced while decoding` });
    }
    if (typeof schema.$ref === 'string') return this.#ref(schema, path);
    if (Array.isArray(schema.allOf)) return this.#allOf(schema, path);
    const union = Array.isArray(schema.anyOf)
      ? schema.anyOf
      : Array.isArray(schema.oneOf)
        ? schema.oneOf
        : undefined;
    if (union !== undefined) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      return this.#union(
        schema,
        union.map((branch) => (isSchema(branch) ? { ...rest, ...branch } : branch)),
        path,
      );
    }
    if (Array.isArray(schema.enum) || 'const' in schema) return this.#literal(schema, path);
    const type = schema.type ?? inferType(schema);
    if (Array.isArray(type)) {
      return this.#union(
        schema,
        type.map((t) => ({ ...schema, type: t })),
        path,
      );
    }
    switch (type) {
      case 'string':
        return this.#remember(schema, this.#stringNode(schema, path));
      case 'number':
      case 'integer':
        return this.#remember(schema, this.#numberNode(schema, type === 'integer', path));
      case 'boolean':
        return this.#remember(schema, this.#literalNode(['true', 'false']));
      case 'null':
        return this.#remember(schema, this.#literalNode(['null']));
      case 'object':
        return this.#objectNode(schema, path);
      case 'array':
        return this.#arrayNode(schema, path);
      case undefined:
        return this.#anyValue();
      default:
        throw invalid(path, `unknown type ${JSON.stringify(type)}`);
    }
  }

  #remember<T extends GrammarNode>(schema: Schema, node: T): T {
    this.#memo.set(schema, node);
    return node;
  }

  #id(): number {
    return this.#nextId++;
  }

  #ref(schema: Schema, path: string): GrammarNode {
    const target = resolvePointer(this.#document, schema.$ref as string, path);
    const extra = Object.keys(schema).filter((key) => key !== '$ref' && !ANNOTATIONS.has(key));
    if (extra.length === 0) return this.#remember(schema, this.compile(target, `${path}/$ref`));
    if (!isSchema(target)) return this.compile(target, path);
    const { $ref: _ref, ...rest } = schema;
    return this.compile({ ...target, ...rest }, path);
  }

  #allOf(schema: Schema, path: string): GrammarNode {
    const { allOf, ...rest } = schema;
    const parts = (allOf as unknown[]).filter(isSchema);
    if (parts.length > 1) {
      this.warnings.push({
        path,
        message: 'allOf with several schemas is merged shallowly (later keys win)',
      });
    }
    return this.compile(Object.assign({}, rest, ...parts), path);
  }

  #union(schema: Schema, branches: unknown[], path: string): GrammarNode {
    const node: UnionNode = { kind: 'union', id: this.#id(), options: [], hasScalar: false };
    this.#memo.set(schema, node);
    branches.forEach((branch, i) => {
      try {
        node.options.push(this.compile(branch, `${path}/anyOf/${i}`));
      } catch (error) {
        if (!SignetError.is(error) || error.details?.unsatisfiable !== true) throw error;
        this.warnings.push({ path: `${path}/anyOf/${i}`, message: `alternative dropped: ${error.message}` });
      }
    });
    if (node.options.length === 0) throw unsatisfiable(path, 'no alternative of the union can be satisfied');
    node.hasScalar = node.options.some((o) => o.kind !== 'object' && o.kind !== 'array');
    return node;
  }

  #literal(schema: Schema, path: string): GrammarNode {
    const values = 'const' in schema ? [schema.const] : (schema.enum as unknown[]);
    const types = schema.type === undefined ? undefined : [schema.type].flat();
    const texts = values
      .filter((value) => types === undefined || types.some((t) => matchesType(value, t)))
      .map((value) => JSON.stringify(value));
    if (texts.length === 0) throw unsatisfiable(path, 'the enum allows no value');
    return this.#remember(schema, this.#literalNode([...new Set(texts)]));
  }

  #literalNode(texts: string[]): GrammarNode {
    return { kind: 'literal', id: this.#id(), texts, trie: buildLiteralTrie(texts) };
  }

  #stringNode(schema: Schema, path: string): StringNode {
    const minLength = nonNegative(schema.minLength, 0, path);
    const maxLength = nonNegative(schema.maxLength, Number.POSITIVE_INFINITY, path);
    if (minLength > maxLength) throw unsatisfiable(path, `minLength ${minLength} > maxLength ${maxLength}`);
    const pattern = this.#pattern(schema, path);
    if (pattern !== undefined) {
      const start = pattern.initial;
      if (pattern.minRemaining(start) > maxLength || pattern.maxRemaining(start) < minLength) {
        throw unsatisfiable(path, `pattern /${pattern.source}/ cannot meet the length bounds`);
      }
    }
    return { kind: 'string', id: this.#id(), minLength, maxLength, pattern };
  }

  #pattern(schema: Schema, path: string): RegexAutomaton | undefined {
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
        this.warnings.push({ path, message: `pattern /${source}/ is not enforced: ${error.message}` });
      }
    }
    if (format !== undefined && builtIn === undefined && sources.length === 0) {
      this.warnings.push({ path, message: `format "${format}" is not enforced (decoded as a plain string)` });
    }
    return undefined;
  }

  #numberNode(schema: Schema, integer: boolean, path: string): GrammarNode {
    let lower = MIN;
    let upper = MAX;
    const bound = (key: string): number | undefined => {
      const value = schema[key];
      if (value === undefined || typeof value === 'boolean') return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalid(path, `${key} must be a finite number`);
      return value;
    };
    const min = bound('minimum');
    const max = bound('maximum');
    const exMin = bound('exclusiveMinimum') ?? (schema.exclusiveMinimum === true ? min : undefined);
    const exMax = bound('exclusiveMaximum') ?? (schema.exclusiveMaximum === true ? max : undefined);
    if (min !== undefined && schema.exclusiveMinimum !== true)
      lower = maxDecimal(lower, decimalFromNumber(min));
    if (max !== undefined && schema.exclusiveMaximum !== true)
      upper = minDecimal(upper, decimalFromNumber(max));
    if (exMin !== undefined) lower = maxDecimal(lower, decimalFromNumber(nextUp(exMin)));
    if (exMax !== undefined) upper = minDecimal(upper, decimalFromNumber(nextDown(exMax)));
    const bounds = { integer, lower, upper };
    if (compareDecimal(lower, upper) > 0 || ![...'-0123456789'].some((c) => canReach(bounds, c))) {
      throw unsatisfiable(path, `no ${integer ? 'integer' : 'number'} lies within the bounds`);
    }
    return { kind: 'number', id: this.#id(), ...bounds };
  }

  #objectNode(schema: Schema, path: string): ObjectNode {
    const node: ObjectNode = {
      kind: 'object',
      id: this.#id(),
      properties: [],
      keyTries: [],
      requiredFrom: [],
      free: undefined,
    };
    this.#memo.set(schema, node);
    const declared = isSchema(schema.properties) ? schema.properties : {};
    const required = new Set(
      Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
    );
    for (const name of required) {
      if (!(name in declared))
        this.warnings.push({ path, message: `required "${name}" has no declared schema; not enforced` });
    }
    const names = Object.keys(declared);
    if (names.length === 0 && schema.additionalProperties !== false) {
      const value = schema.additionalProperties === undefined ? true : schema.additionalProperties;
      node.free = {
        key: this.#stringNode({}, `${path}/propertyNames`),
        value: this.compile(value, `${path}/additionalProperties`),
      };
      return node;
    }
    for (const name of names) {
      const value = this.compile(declared[name], `${path}/properties/${name}`);
      node.properties.push({ name, required: required.has(name), value });
    }
    // After property i-1 (or "{"), any of i..r may come next, where r is the first required one at or after i.
    names.forEach((_, i) => {
      let last = i;
      while (last < names.length - 1 && !required.has(names[last] as string)) last++;
      node.keyTries[i] = buildLiteralTrie(
        names.slice(i, last + 1).map((n) => JSON.stringify(n)),
        i,
      );
    });
    for (let i = names.length; i >= 0; i--)
      node.requiredFrom[i] =
        i < names.length && (node.properties[i]?.required === true || node.requiredFrom[i + 1] === true);
    return node;
  }

  #arrayNode(schema: Schema, path: string): ArrayNode {
    const node: ArrayNode = {
      kind: 'array',
      id: this.#id(),
      prefix: [],
      items: undefined,
      minItems: 0,
      maxItems: Number.POSITIVE_INFINITY,
    };
    this.#memo.set(schema, node);
    const prefix = Array.isArray(schema.prefixItems)
      ? schema.prefixItems
      : Array.isArray(schema.items)
        ? schema.items
        : [];
    node.prefix = prefix.map((item, i) => this.compile(item, `${path}/prefixItems/${i}`));
    const items = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    node.items = items === false ? undefined : this.compile(items ?? true, `${path}/items`);
    node.minItems = nonNegative(schema.minItems, 0, path);
    node.maxItems = nonNegative(schema.maxItems, Number.POSITIVE_INFINITY, path);
    if (node.items === undefined) node.maxItems = Math.min(node.maxItems, node.prefix.length);
    if (node.minItems > node.maxItems)
      throw unsatisfiable(path, `minItems ${node.minItems} > possible items ${node.maxItems}`);
    return node;
  }

  /** Any JSON value: string, number, true/false/null, arrays and objects of any values. */
  #anyValue(): UnionNode {
    if (this.#any !== undefined) return this.#any;
    const any: UnionNode = { kind: 'union', id: this.#id(), options: [], hasScalar: true };
    this.#any = any;
    const array: ArrayNode = {
      kind: 'array',
      id: this.#id(),
      prefix: [],
      items: any,
      minItems: 0,
      maxItems: Number.POSITIVE_INFINITY,
    };
    const object: ObjectNode = {
      kind: 'object',
      id: this.#id(),
      properties: [],
      keyTries: [],
      requiredFrom: [false],
      free: { key: this.#stringNode({}, '#'), value: any },
    };
    const number = this.#numberNode({}, false, '#');
    any.options = [
      this.#stringNode({}, '#'),
      number,
      this.#literalNode(['true', 'false', 'null']),
      array,
      object,
    ];
    return any;
  }
}

function inferType(schema: Schema): string | undefined {
  if ('properties' in schema || 'additionalProperties' in schema || 'required' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema) return 'array';
  if (STRING_KEYS.some((key) => key in schema)) return 'string';
  if (NUMBER_KEYS.some((key) => key in schema)) return 'number';
  return undefined;
}

function matchesType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isSchema(value);
    default:
      return false;
  }
}

function nonNegative(value: unknown, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(
      path,
      `length and count bounds must be non-negative integers, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function resolvePointer(document: unknown, ref: string, path: string): unknown {
  if (!ref.startsWith('#')) throw invalid(path, `only local $ref is supported, got "${ref}"`);
  let target: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    target = isSchema(target) ? target[key] : undefined;
    if (target === undefined) throw invalid(path, `$ref "${ref}" points to nothing`);
  }
  return target;
}

function invalid(path: string, message: string): SignetError {
  return new SignetError(
    'SIGNET_SIGNATURE_INVALID',
    `JSON Schema at ${path}: ${message}; fix the output schema`,
    {
      details: { path },
    },
  );
}

function unsatisfiable(path: string, message: string): SignetError {
  return new SignetError(
    'SIGNET_SIGNATURE_INVALID',
    `JSON Schema at ${path} allows no value (${message}); relax the constraint so a model can satisfy it`,
    { details: { path, unsatisfiable: true } },
  );
}
