/**
 * The normalized description of one signature field. Both definition forms (zod schemas and Ax's string
 * DSL) become these specs; prompts, validation, JSON Schema and hashing are all derived from them.
 */
export type FieldKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'json'
  | 'date'
  | 'datetime'
  | 'url'
  | 'code'
  | 'class'
  | 'object';

/** The value type of a field, with the constraints the model and the validators must respect. */
export interface FieldType {
  /** Base kind of the value (or of each item, for arrays). */
  readonly kind: FieldKind;
  /** True when the field holds a list of values of `kind`. */
  readonly array: boolean;
  /** Allowed labels, for `class` fields (an enum). */
  readonly options?: readonly string[];
  /** Member fields, in order, for `object` fields. */
  readonly fields?: readonly FieldSpec[];
  /** Description of each item, for arrays. */
  readonly itemDescription?: string;
  /** Whole numbers only, for `number` fields. */
  readonly integer?: boolean;
  /** Minimum string length (strings) . */
  readonly minLength?: number;
  /** Maximum string length (strings). */
  readonly maxLength?: number;
  /** Inclusive lower bound (numbers). */
  readonly minimum?: number;
  /** Inclusive upper bound (numbers). */
  readonly maximum?: number;
  /** Regular expression the string must match. */
  readonly pattern?: string;
  /** What the pattern means in words, shown to the model (e.g. "INV- then digits"). */
  readonly patternDescription?: string;
  /** String format: `email`, `uri`, `date` or `date-time`. */
  readonly format?: string;
  /** Programming language, for `code` fields. */
  readonly language?: string;
}

/** One named input or output field. */
export interface FieldSpec {
  /** Field name as it appears in inputs/outputs (camelCase, descriptive: Ax rejects generic names). */
  readonly name: string;
  /** What the field means; shown to the model. */
  readonly description?: string;
  /** Whether the field may be omitted. */
  readonly optional: boolean;
  /** Output-only scratchpad fields the model fills but callers never see (e.g. hidden reasoning). */
  readonly internal: boolean;
  /** The value type and its constraints. */
  readonly type: FieldType;
}

/** Which side of a signature a field belongs to. */
export type FieldSide = 'input' | 'output';
