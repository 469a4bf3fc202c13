import { type AxField, type AxFieldType, AxSignature } from '@ax-llm/ax';
import type { FieldSpec, FieldType } from './field-spec.ts';

/** Builds the Ax signature that runs a signet signature. Throws Ax's own error when Ax rejects it. */
export function buildAxSignature(
  instructions: string | undefined,
  inputs: readonly FieldSpec[],
  outputs: readonly FieldSpec[],
): AxSignature {
  const sig = AxSignature.empty();
  if (instructions !== undefined && instructions.length > 0) sig.setDescription(instructions);
  sig.setInputFields(inputs.map(toAxInputField));
  sig.setOutputFields(outputs.map(toAxField));
  sig.validate();
  return sig;
}

/**
 * Ax accepts class (enum) fields only as outputs. An enum input is sent as a string whose description
 * lists the allowed labels; signet's own validation still enforces the enum before the model is called.
 */
function toAxInputField(field: FieldSpec): AxField {
  if (field.type.kind !== 'class') return toAxField(field);
  const labels = `one of: ${(field.type.options ?? []).join(', ')}`;
  const { options: _options, ...rest } = field.type;
  return toAxField({
    ...field,
    description: field.description === undefined ? labels : `${field.description} (${labels})`,
    type: { ...rest, kind: 'string' },
  });
}

/** Converts one signet field spec to Ax's field description. */
export function toAxField(field: FieldSpec): AxField {
  return {
    name: field.name,
    ...(field.description === undefined ? {} : { description: field.description }),
    ...(field.optional ? { isOptional: true } : {}),
    ...(field.internal ? { isInternal: true } : {}),
    type: {
      name: field.type.kind,
      isArray: field.type.array,
      ...(field.type.itemDescription === undefined ? {} : { description: field.type.itemDescription }),
      ...(field.type.fields === undefined ? {} : { fields: nestedAxFields(field.type.fields) }),
      ...constraints(field.type),
    },
  };
}

function nestedAxFields(fields: readonly FieldSpec[]): Record<string, AxFieldType> {
  const out: Record<string, AxFieldType> = {};
  for (const field of fields) {
    out[field.name] = {
      type: field.type.kind,
      isArray: field.type.array,
      ...(field.description === undefined ? {} : { description: field.description }),
      ...(field.optional ? { isOptional: true } : {}),
      ...(field.type.fields === undefined ? {} : { fields: nestedAxFields(field.type.fields) }),
      ...constraints(field.type),
    };
  }
  return out;
}

function constraints(type: FieldType) {
  return {
    ...(type.options === undefined ? {} : { options: [...type.options] }),
    ...(type.minLength === undefined ? {} : { minLength: type.minLength }),
    ...(type.maxLength === undefined ? {} : { maxLength: type.maxLength }),
    ...(type.minimum === undefined ? {} : { minimum: type.minimum }),
    ...(type.maximum === undefined ? {} : { maximum: type.maximum }),
    ...(type.pattern === undefined ? {} : { pattern: type.pattern }),
    // Ax requires a description for patterns on structured outputs; derive one when none was given.
    ...(type.pattern === undefined
      ? {}
      : {
          patternDescription:
            type.patternDescription ?? `must match the regular expression /${type.pattern}/`,
        }),
    ...(type.format === undefined ? {} : { format: type.format }),
    ...(type.language === undefined ? {} : { language: type.language }),
  };
}
