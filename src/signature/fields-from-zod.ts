import { z } from 'zod';
import type { FieldKind, FieldSpec, FieldType } from './field-spec.ts';

/** A JSON Schema node as zod emits it; only the members signet reads. */
interface SchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  anyOf?: SchemaNode[];
}

/** Thrown when a zod schema uses something a signature field cannot express; the caller adds the path. */
export class UnsupportedSchemaError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the fields of a zod object schema (via zod's JSON Schema, the stable public view of a schema).
 * `internal` names output fields that are model scratchpads.
 */
export function fieldsFromZod(
  schema: z.ZodObject,
  side: 'input' | 'output',
  internal: ReadonlySet<string> = new Set(),
): FieldSpec[] {
  let root: SchemaNode;
  try {
    root = z.toJSONSchema(schema, {
      io: side === 'input' ? 'input' : 'output',
      unrepresentable: 'throw',
    }) as SchemaNode;
  } catch (error) {
    throw new UnsupportedSchemaError(
      side === 'input' ? 'inputs' : 'outputs',
      `${(error as Error).message}; use types JSON can carry (string, number, boolean, enum, array, object)`,
    );
  }
  return objectFields(root, side === 'input' ? 'inputs' : 'outputs', internal);
}

function objectFields(node: SchemaNode, path: string, internal: ReadonlySet<string>): FieldSpec[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).map(([name, child]) => {
    const fieldPath = `${path}.${name}`;
    return {
      name,
      ...(child.description === undefined ? {} : { description: child.description }),
      optional: !required.has(name),
      internal: internal.has(name),
      type: fieldType(child, fieldPath),
    };
  });
}

function fieldType(node: SchemaNode, path: string): FieldType {
  if (node.type === 'array') {
    const items = node.items;
    if (items === undefined) throw new UnsupportedSchemaError(path, `array at ${path} has no item schema`);
    if (items.type === 'array')
      throw new UnsupportedSchemaError(path, `nested arrays at ${path} are not supported`);
    const item = fieldType(items, `${path}[]`);
    return {
      ...item,
      array: true,
      ...(items.description === undefined ? {} : { itemDescription: items.description }),
    };
  }
  if (node.enum !== undefined) {
    if (!node.enum.every((v): v is string => typeof v === 'string')) {
      throw new UnsupportedSchemaError(path, `enum at ${path} must contain only strings`);
    }
    return { kind: 'class', array: false, options: node.enum };
  }
  if (typeof node.const === 'string') return { kind: 'class', array: false, options: [node.const] };
  if (node.anyOf !== undefined) {
    throw new UnsupportedSchemaError(
      path,
      `union at ${path} is not supported; use z.enum or separate optional fields`,
    );
  }
  const kind = baseKind(node, path);
  return {
    kind,
    array: false,
    ...(node.type === 'integer' ? { integer: true } : {}),
    ...(kind === 'object' ? { fields: objectFields(node, path, new Set()) } : {}),
    ...numberBounds(node),
    ...(node.minLength === undefined ? {} : { minLength: node.minLength }),
    ...(node.maxLength === undefined ? {} : { maxLength: node.maxLength }),
    ...(node.pattern === undefined || node.format !== undefined ? {} : { pattern: node.pattern }),
    ...(node.format === undefined || kind === 'url' ? {} : { format: node.format }),
  };
}

function baseKind(node: SchemaNode, path: string): FieldKind {
  switch (node.type) {
    case 'string':
      return node.format === 'uri' ? 'url' : 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return node.properties === undefined ? 'json' : 'object';
    case undefined:
      return 'json';
    default:
      throw new UnsupportedSchemaError(path, `type ${JSON.stringify(node.type)} at ${path} is not supported`);
  }
}

function numberBounds(node: SchemaNode): Partial<FieldType> {
  // zod emits ±MAX_SAFE_INTEGER bounds for z.int(); they are not constraints the user wrote.
  const min = node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? node.minimum : undefined;
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  return { ...(min === undefined ? {} : { minimum: min }), ...(max === undefined ? {} : { maximum: max }) };
}
