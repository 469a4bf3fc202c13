import { z } from 'zod';
import { SignetError } from '../errors/signet-error.ts';
import { defineSignatureFromParts } from './define-signature.ts';
import type { FieldSpec, FieldType } from './field-spec.ts';
import type { Signature } from './signature.ts';
import { validateWith } from './validation-result.ts';

const fieldKind = z.enum([
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

const fieldType: z.ZodType<FieldType> = z.lazy(() =>
  z.strictObject({
    kind: fieldKind,
    array: z.boolean(),
    options: z.array(z.string()).optional(),
    fields: z.array(fieldSpec).optional(),
    itemDescription: z.string().optional(),
    integer: z.boolean().optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    pattern: z.string().optional(),
    patternDescription: z.string().optional(),
    format: z.string().optional(),
    language: z.string().optional(),
  }),
) as z.ZodType<FieldType>;

const fieldSpec: z.ZodType<FieldSpec> = z.lazy(() =>
  z.strictObject({
    name: z.string(),
    description: z.string().optional(),
    optional: z.boolean(),
    internal: z.boolean(),
    type: fieldType,
  }),
) as z.ZodType<FieldSpec>;

const signatureJson = z.strictObject({
  format: z.literal('signet.signature/v1'),
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  instructions: z.string().optional(),
  tags: z.array(z.string()),
  inputs: z.array(fieldSpec),
  outputs: z.array(fieldSpec),
  examples: z.array(
    z.strictObject({
      inputs: z.record(z.string(), z.unknown()),
      outputs: z.record(z.string(), z.unknown()),
      note: z.string().optional(),
    }),
  ),
});

/** The type of a document `Signature.toJSON()` produces. */
export type SignatureDocument = z.infer<typeof signatureJson>;

/**
 * Rebuilds a signature from `toJSON()` output (a parsed object or JSON text). The result validates with
 * constraints derived from the field specs and hashes equal to the original.
 */
export function signatureFromJSON(json: unknown): Signature {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new SignetError('SIGNET_SIGNATURE_STATE_INVALID', 'signature JSON is not valid JSON', {
        cause: error,
      });
    }
  }
  const parsed = validateWith<SignatureDocument>(signatureJson, value);
  if (!parsed.ok) {
    throw new SignetError(
      'SIGNET_SIGNATURE_STATE_INVALID',
      'signature JSON does not have the signet.signature/v1 shape; produce it with signature.toJSON()',
      { issues: parsed.issues },
    );
  }
  return defineSignatureFromParts(parsed.value);
}
