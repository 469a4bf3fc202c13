import type { ArrayNode, GrammarNode, ObjectNode, RootNode, UnionNode } from './grammar-nodes.ts';
import { buildLiteralTrie } from './literal-trie.ts';
import {
  type GrammarWarning,
  invalidSchema,
  isSchema,
  isUnsatisfiable,
  literalNode,
  nonNegative,
  numberNode,
  type Schema,
  stringNode,
  unsatisfiable,
} from './scalar-nodes.ts';

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

/** Compiles JSON Schema (draft 2020-12, as zod 4 emits it) into grammar nodes. Throws for unsatisfiable schemas. */
export class SchemaCompiler {
  readonly warnings: GrammarWarning[] = [];
  readonly #document: unknown;
  readonly #memo = new Map<Schema, GrammarNode>();
  #nextId = 1;
  #any: UnionNode | undefined;

  /** Bounded non-integer numbers are plain decimals (no exponent); see JsonGrammarOptions. */
  readonly #plainBoundedNumbers: boolean;

  constructor(document: unknown, options: { readonly plainBoundedNumbers?: boolean } = {}) {
    this.#plainBoundedNumbers = options.plainBoundedNumbers === true;
    this.#document = document;
  }

  /** The root node of the whole document. */
  compileRoot(): RootNode {
    return { kind: 'root', id: 0, value: this.compile(this.#document, '#') };
  }

  compile(schema: unknown, path: string): GrammarNode {
    if (schema === true) return this.#anyValue();
    if (schema === false) throw unsatisfiable(path, 'the schema `false` allows no value');
    if (!isSchema(schema)) throw invalidSchema(path, 'a schema must be an object or a boolean');
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
        return this.#remember(schema, stringNode(this.#id(), schema, path, this.warnings));
      case 'number':
      case 'integer':
        return this.#remember(
          schema,
          numberNode(this.#id(), schema, type === 'integer', path, this.#plainBoundedNumbers),
        );
      case 'boolean':
        return this.#remember(schema, literalNode(this.#id(), ['true', 'false']));
      case 'null':
        return this.#remember(schema, literalNode(this.#id(), ['null']));
      case 'object':
        return this.#objectNode(schema, path);
      case 'array':
        return this.#arrayNode(schema, path);
      case undefined:
        return this.#anyValue();
      default:
        throw invalidSchema(path, `unknown type ${JSON.stringify(type)}`);
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
        if (!isUnsatisfiable(error)) throw error;
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
    return this.#remember(schema, literalNode(this.#id(), [...new Set(texts)]));
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
        key: stringNode(this.#id(), {}, `${path}/propertyNames`, this.warnings),
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
    const anyValue: UnionNode = { kind: 'union', id: this.#id(), options: [], hasScalar: true };
    this.#any = anyValue;
    const array: ArrayNode = {
      kind: 'array',
      id: this.#id(),
      prefix: [],
      items: anyValue,
      minItems: 0,
      maxItems: Number.POSITIVE_INFINITY,
    };
    const object: ObjectNode = {
      kind: 'object',
      id: this.#id(),
      properties: [],
      keyTries: [],
      requiredFrom: [false],
      free: { key: stringNode(this.#id(), {}, '#', this.warnings), value: anyValue },
    };
    const number = numberNode(this.#id(), {}, false, '#');
    anyValue.options = [
      stringNode(this.#id(), {}, '#', this.warnings),
      number,
      literalNode(this.#id(), ['true', 'false', 'null']),
      array,
      object,
    ];
    return anyValue;
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

function resolvePointer(document: unknown, ref: string, path: string): unknown {
  if (!ref.startsWith('#')) throw invalidSchema(path, `only local $ref is supported, got "${ref}"`);
  let target: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    target = isSchema(target) ? target[key] : undefined;
    if (target === undefined) throw invalidSchema(path, `$ref "${ref}" points to nothing`);
  }
  return target;
}
