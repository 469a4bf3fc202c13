import type { FieldSpec } from './field-spec.ts';

/** A record of field values: what a signature's inputs or outputs look like at run time. */
export type FieldValues = Record<string, unknown>;

/** Flattens intersections so inferred types read as one object literal in editors and type tests. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** One worked example: inputs and the outputs a good answer has. Also used as few-shot demos. */
export interface SignatureExample<I extends FieldValues = FieldValues, O extends FieldValues = FieldValues> {
  /** Input values of the example. */
  readonly inputs: I;
  /** Output values a correct program returns for these inputs. */
  readonly outputs: O;
  /** Why the example is there, for readers of the catalog. */
  readonly note?: string | undefined;
}

/** Catalog metadata shared by both definition forms. */
export interface SignatureMetadata {
  /** Registry name: lowercase words joined by `-`, `_` or `.` (e.g. `answer-with-citations`). */
  readonly name: string;
  /** Semantic version (`1.0.0`); the registry resolves ranges against it. */
  readonly version: string;
  /** What the signature is for, shown in catalogs. */
  readonly description?: string | undefined;
  /** What the model is told to do; defaults to the DSL's quoted description, then `description`. */
  readonly instructions?: string | undefined;
  /** Free-form labels for search and grouping (`extraction`, `rag`...). */
  readonly tags?: readonly string[] | undefined;
}

/** The lossless JSON form of a signature (`toJSON()` / `fromJSON()`). */
export interface SignatureJson {
  /** Format marker so future versions can migrate old documents. */
  readonly format: 'signet.signature/v1';
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly instructions?: string;
  readonly tags: readonly string[];
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
  readonly examples: readonly SignatureExample[];
}
