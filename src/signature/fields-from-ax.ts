import type { AxField, AxFieldType } from '@ax-llm/ax';
import type { FieldKind, FieldSpec, FieldType } from './field-spec.ts';

const SUPPORTED: ReadonlySet<string> = new Set<FieldKind>([
  'string',
  'number',
  'boolean',
  'json',
  'date',
  'datetime',
  'url',
  'code',
  'class',
  'object',
]);

/** Thrown for Ax field types signet does not support yet (media, ranges); the caller adds context. */
export class UnsupportedFieldError extends Error {}

/** Converts the fields Ax parsed from a DSL string into signet field specs. */
export function fieldsFromAx(fields: readonly AxField[]): FieldSpec[] {
  return fields.map((field) => {
    const type = field.type ?? { name: 'string' as const };
    return spec(field.name, field.description, field.isOptional, field.isInternal, {
      kind: type.name,
      isArray: type.isArray,
      options: type.options,
      fields: type.fields,
      description: type.description,
      minLength: type.minLength,
      maxLength: type.maxLength,
      minimum: type.minimum,
      maximum: type.maximum,
      pattern: type.pattern,
      patternDescription: type.patternDescription,
      format: type.format,
      language: type.language,
    });
  });
}

interface LooseType {
  kind: string;
  isArray: boolean | undefined;
  options: readonly string[] | undefined;
  fields: Record<string, AxFieldType> | undefined;
  description: string | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  pattern: string | undefined;
  patternDescription?: string | undefined;
  format: string | undefined;
  language: string | undefined;
}

function spec(
  name: string,
  description: string | undefined,
  optional: boolean | undefined,
  internal: boolean | undefined,
  loose: LooseType,
): FieldSpec {
  if (!SUPPORTED.has(loose.kind)) {
    throw new UnsupportedFieldError(
      `field "${name}" has type "${loose.kind}", which signet does not support yet; use one of ${[...SUPPORTED].join(', ')}`,
    );
  }
  const isArray = loose.isArray === true;
  const type: FieldType = {
    kind: loose.kind as FieldKind,
    array: isArray,
    ...(loose.options === undefined ? {} : { options: [...loose.options] }),
    ...(loose.fields === undefined ? {} : { fields: nestedFields(loose.fields) }),
    ...(isArray && loose.description !== undefined ? { itemDescription: loose.description } : {}),
    ...(loose.minLength === undefined ? {} : { minLength: loose.minLength }),
    ...(loose.maxLength === undefined ? {} : { maxLength: loose.maxLength }),
    ...(loose.minimum === undefined ? {} : { minimum: loose.minimum }),
    ...(loose.maximum === undefined ? {} : { maximum: loose.maximum }),
    ...(loose.pattern === undefined ? {} : { pattern: loose.pattern }),
    ...(loose.patternDescription === undefined ? {} : { patternDescription: loose.patternDescription }),
    ...(loose.format === undefined ? {} : { format: loose.format }),
    ...(loose.language === undefined ? {} : { language: loose.language }),
  };
  // Ax echoes a code field's language as its description; it is not a description the user wrote.
  const ownDescription =
    description !== undefined && description !== loose.language ? description : undefined;
  return {
    name,
    ...(ownDescription === undefined ? {} : { description: ownDescription }),
    optional: optional === true,
    internal: internal === true,
    type,
  };
}

function nestedFields(fields: Record<string, AxFieldType>): FieldSpec[] {
  return Object.entries(fields).map(([name, field]) =>
    spec(name, field.description, field.isOptional, field.isInternal, {
      kind: field.type,
      isArray: field.isArray,
      options: field.options,
      fields: field.fields,
      description: undefined,
      minLength: field.minLength,
      maxLength: field.maxLength,
      minimum: field.minimum,
      maximum: field.maximum,
      pattern: field.pattern,
      patternDescription: field.patternDescription,
      format: field.format,
      language: field.language,
    }),
  );
}
