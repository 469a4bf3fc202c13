import type { FieldSpec, FieldValues, Signature } from '../../src/index.ts';

/**
 * The title Ax shows the model for a field, and expects back before the value: camelCase split into
 * words, first letter upper-cased (`confidenceScore` -> `Confidence Score`, `sqlQuery` -> `Sql Query`).
 * Mirrors Ax's own rule (underscores become spaces; a space goes before each capital and digit run).
 */
export function axFieldTitle(name: string): string {
  const spaced = name
    .replace(/_/g, ' ')
    .replace(/([A-Z]|[0-9]+)/g, ' $1')
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * Renders output values as a model would answer in Ax's line format, one `Title: value` line per field,
 * in the signature's field order. Strings (including code and class labels) are written as-is; every
 * other value as JSON. Absent optional fields are left out, as a model would leave them out.
 */
export function renderAxReply(signature: Signature, outputs: FieldValues): string {
  return signature.visibleOutputs
    .filter((field) => outputs[field.name] !== undefined)
    .map((field) => `${axFieldTitle(field.name)}: ${renderValue(field, outputs[field.name])}`)
    .join('\n');
}

function renderValue(field: FieldSpec, value: unknown): string {
  // Ax `date`/`datetime` fields hold Date objects; the model writes them as ISO text.
  if (value instanceof Date) {
    return field.type.kind === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
