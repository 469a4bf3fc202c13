/**
 * Readers for fields of Ollama's JSON. The `ollama` client's types promise `Date` and `Map` where the
 * wire has strings and plain objects, and older servers omit fields, so values are checked, not trusted.
 */

/** The value as a plain object, or undefined. */
export function recordOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A string field, or undefined when absent, empty or not a string. */
export function stringField(source: unknown, key: string): string | undefined {
  const value = recordOf(source)?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number field, or undefined. */
export function numberField(source: unknown, key: string): number | undefined {
  const value = recordOf(source)?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The string items of an array field (other items are skipped). */
export function stringsField(source: unknown, key: string): string[] {
  const value = recordOf(source)?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A timestamp field as an ISO-8601 UTC string, or undefined when absent or unparseable. */
export function timestampField(source: unknown, key: string): string | undefined {
  const value = recordOf(source)?.[key];
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
