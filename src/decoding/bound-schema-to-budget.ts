/** A JSON Schema node, as far as budgeting reads it. */
type SchemaNode = Record<string, unknown>;

/** Options of {@link boundSchemaToBudget}. */
export interface SchemaBudgetOptions {
  /** Bytes the whole document may take (a token is at least one byte, so `maxTokens` is safe). */
  readonly maxBytes: number;
  /** Items an unbounded array may hold (default 8). */
  readonly maxItems?: number;
  /** Characters a number may take (the grammar's `maxNumberLength`, default 24). */
  readonly numberLength?: number;
}

const MIN_STRING = 4;

/**
 * Tightens a JSON Schema so every document it allows fits in `maxBytes`: arrays without `maxItems` get
 * one, and strings without `maxLength` (or with a larger one) share what the budget leaves after the
 * structure. A constrained decoder following the result always finishes its document before the token
 * limit, instead of being cut off mid-string. Already tighter limits are kept; the input is not changed.
 */
export function boundSchemaToBudget(schema: SchemaNode, options: SchemaBudgetOptions): SchemaNode {
  const numberLength = options.numberLength ?? 24;
  // Fewer items per unbounded array until the structure alone fits in most of the budget.
  let maxItems = options.maxItems ?? 8;
  let capped = capArrays(schema, maxItems);
  let { fixed, strings } = measure(capped, numberLength);
  while (fixed > options.maxBytes * 0.75 && maxItems > 1) {
    maxItems = Math.floor(maxItems / 2);
    capped = capArrays(schema, maxItems);
    ({ fixed, strings } = measure(capped, numberLength));
  }
  if (strings === 0) return capped;
  // Escapes can make a character cost more than a byte; a factor of 1.5 covers ordinary text.
  const perString = Math.max(MIN_STRING, Math.floor((options.maxBytes - fixed) / strings / 1.5));
  return capStrings(capped, perString);
}

function children(node: SchemaNode): { key: string; value: SchemaNode }[] {
  const out: { key: string; value: SchemaNode }[] = [];
  const props = node.properties;
  if (isNode(props))
    for (const [key, value] of Object.entries(props)) if (isNode(value)) out.push({ key, value });
  return out;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function types(node: SchemaNode): string[] {
  const type = node.type;
  return Array.isArray(type)
    ? type.filter((t): t is string => typeof t === 'string')
    : typeof type === 'string'
      ? [type]
      : [];
}

function variants(node: SchemaNode): SchemaNode[] {
  const list = [node.anyOf, node.oneOf].find(Array.isArray) as unknown[] | undefined;
  return (list ?? []).filter(isNode);
}

function mapNode(node: SchemaNode, fn: (n: SchemaNode) => SchemaNode): SchemaNode {
  const next: SchemaNode = { ...node };
  if (isNode(node.properties)) {
    next.properties = Object.fromEntries(
      Object.entries(node.properties).map(([k, v]) => [k, isNode(v) ? mapNode(v, fn) : v]),
    );
  }
  if (isNode(node.items)) next.items = mapNode(node.items, fn);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) next[key] = list.map((v) => (isNode(v) ? mapNode(v, fn) : v));
  }
  return fn(next);
}

function capArrays(schema: SchemaNode, maxItems: number): SchemaNode {
  return mapNode(schema, (node) => {
    if (!types(node).includes('array') && node.items === undefined) return node;
    const current = typeof node.maxItems === 'number' ? node.maxItems : Number.POSITIVE_INFINITY;
    const min = typeof node.minItems === 'number' ? node.minItems : 0;
    return { ...node, maxItems: Math.max(min, Math.min(current, maxItems)) };
  });
}

function capStrings(schema: SchemaNode, maxLength: number): SchemaNode {
  return mapNode(schema, (node) => {
    if (!types(node).includes('string') || node.enum !== undefined || node.const !== undefined) return node;
    // Patterned and formatted strings (dates, emails...) have their own length; cutting it can leave
    // no valid value at all.
    if (node.pattern !== undefined || node.format !== undefined) return node;
    const current = typeof node.maxLength === 'number' ? node.maxLength : Number.POSITIVE_INFINITY;
    const min = typeof node.minLength === 'number' ? node.minLength : 0;
    return { ...node, maxLength: Math.max(min, Math.min(current, maxLength)) };
  });
}

/** Worst-case bytes of everything but free strings, and how many free strings a document can hold. */
function measure(node: SchemaNode, numberLength: number): { fixed: number; strings: number } {
  const options = variants(node);
  if (options.length > 0) {
    return options
      .map((v) => measure(v, numberLength))
      .reduce((a, b) => ({ fixed: Math.max(a.fixed, b.fixed), strings: Math.max(a.strings, b.strings) }));
  }
  const kinds = types(node);
  if (Array.isArray(node.enum))
    return { fixed: Math.max(4, ...node.enum.map((v) => JSON.stringify(v).length * 2)), strings: 0 };
  if (kinds.includes('object') || node.properties !== undefined) {
    let fixed = 2;
    let strings = 0;
    for (const { key, value } of children(node)) {
      const child = measure(value, numberLength);
      fixed += key.length * 2 + 6 + child.fixed;
      strings += child.strings;
    }
    return { fixed, strings };
  }
  if (kinds.includes('array') || node.items !== undefined) {
    const items = typeof node.maxItems === 'number' ? node.maxItems : 8;
    const item = isNode(node.items) ? measure(node.items, numberLength) : { fixed: numberLength, strings: 1 };
    return { fixed: 2 + items * (item.fixed + 2), strings: items * item.strings };
  }
  if (kinds.includes('string') && (node.pattern !== undefined || node.format !== undefined)) {
    return { fixed: 2 + (typeof node.maxLength === 'number' ? node.maxLength : 64) * 2, strings: 0 };
  }
  if (kinds.includes('string')) {
    const bounded = typeof node.maxLength === 'number' ? node.maxLength : undefined;
    return bounded === undefined ? { fixed: 2, strings: 1 } : { fixed: 2 + bounded * 2, strings: 1 };
  }
  return { fixed: Math.max(numberLength, 5) + 2, strings: 0 };
}
