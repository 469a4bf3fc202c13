import type { FieldValues } from '../signature/signature-types.ts';
import { canonicalJson } from '../util/canonical-json.ts';

/**
 * The text the semantic cache embeds for a run's inputs: one `name: value` line per field in name
 * order, strings as they are and anything else as canonical JSON, so the same inputs always read the
 * same and the field names give the values their roles.
 */
export function inputsText(inputs: FieldValues): string {
  return Object.keys(inputs)
    .sort()
    .filter((name) => inputs[name] !== undefined)
    .map((name) => {
      const value = inputs[name];
      return `${name}: ${typeof value === 'string' ? value : canonicalJson(value)}`;
    })
    .join('\n');
}
