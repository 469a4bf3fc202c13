export {
  type DslInputs,
  type DslOutputs,
  type DslSignatureDefinition,
  defineSignature,
  type ZodSignatureDefinition,
} from './define-signature.ts';
export type { DslPosition } from './dsl-error-position.ts';
export type { FieldKind, FieldSide, FieldSpec, FieldType } from './field-spec.ts';
export { Signature, type SignatureJsonSchemas } from './signature.ts';
export { type SignatureDocument, signatureFromJSON } from './signature-from-json.ts';
export type {
  FieldValues,
  SignatureExample,
  SignatureJson,
  SignatureMetadata,
  Simplify,
} from './signature-types.ts';
export type { ValidationResult } from './validation-result.ts';
