import { z } from 'zod';
import type { FieldSide, FieldSpec, FieldType } from './field-spec.ts';

/**
 * Builds the zod schema that validates one side of a signature from its field specs. Inputs are strict
 * (an unknown key is an error, so callers cannot smuggle or rename fields); outputs drop unknown keys.
 * Internal output fields are optional: callers never see them.
 */
export function fieldsToZod(fields: readonly FieldSpec[], side: FieldSide): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const base = describe(valueSchema(field.type), field.description);
    shape[field.name] = field.optional || field.internal ? base.optional() : base;
  }
  return side === 'input' ? z.strictObject(shape) : z.object(shape);
}

function valueSchema(type: FieldType): z.ZodType {
  const item = itemSchema(type);
  if (!type.array) return item;
  const described = type.itemDescription === undefined ? item : item.describe(type.itemDescription);
  return z.array(described);
}

function itemSchema(type: FieldType): z.ZodType {
  switch (type.kind) {
    case 'string':
    case 'code':
      return stringSchema(type);
    case 'url':
      return z.url();
    case 'number': {
      let schema = type.integer === true ? z.int() : z.number();
      if (type.minimum !== undefined) schema = schema.min(type.minimum);
      if (type.maximum !== undefined) schema = schema.max(type.maximum);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    case 'json':
      return z.json();
    case 'date':
      // A Date survives JSON as a full ISO timestamp, so accept that form as well as YYYY-MM-DD.
      return z.union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })]);
    case 'datetime':
      return z.union([z.date(), z.iso.datetime({ offset: true })]);
    case 'class':
      return z.enum((type.options ?? []) as [string, ...string[]]);
    case 'object':
      return fieldsToZod(type.fields ?? [], 'output');
  }
}

function stringSchema(type: FieldType): z.ZodType {
  if (type.format === 'email') return z.email();
  if (type.format === 'uri') return z.url();
  if (type.format === 'date') return z.iso.date();
  if (type.format === 'date-time') return z.iso.datetime({ offset: true });
  let schema = z.string();
  if (type.minLength !== undefined) schema = schema.min(type.minLength);
  if (type.maxLength !== undefined) schema = schema.max(type.maxLength);
  if (type.pattern !== undefined) schema = schema.regex(new RegExp(type.pattern));
  return schema;
}

function describe(schema: z.ZodType, description: string | undefined): z.ZodType {
  return description === undefined ? schema : schema.describe(description);
}
