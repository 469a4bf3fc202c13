import type { AxSignature, s } from '@ax-llm/ax';
import semver from 'semver';
import type { z } from 'zod';
import { formatIssues } from '../errors/issue.ts';
import { SignetError } from '../errors/signet-error.ts';
import type { FieldSpec } from './field-spec.ts';
import { fieldsFromZod, UnsupportedSchemaError } from './fields-from-zod.ts';
import { fieldsToZod } from './fields-to-zod.ts';
import { parseSignatureDsl } from './parse-signature-dsl.ts';
import { Signature } from './signature.ts';
import type { FieldValues, SignatureExample, SignatureMetadata, Simplify } from './signature-types.ts';

/** A signature written in Ax's string DSL: `'question:string "the question" -> answer:string'`. */
export interface DslSignatureDefinition<D extends string> extends SignatureMetadata {
  /** The DSL text. A leading quoted string is the instruction to the model. */
  readonly signature: D;
  /** Worked examples; each is validated against the signature when it is defined. */
  readonly examples?: readonly SignatureExample<DslInputs<D>, DslOutputs<D>>[];
}

/** A signature written as two zod object schemas. */
export interface ZodSignatureDefinition<I extends z.ZodObject, O extends z.ZodObject>
  extends SignatureMetadata {
  /** Input fields; `.describe()` texts become field descriptions. */
  readonly inputs: I;
  /** Output fields; `.describe()` texts become field descriptions. */
  readonly outputs: O;
  /** Output fields the model fills as scratchpad but callers never receive. */
  readonly internal?: readonly (keyof z.output<O> & string)[];
  /** Worked examples; each is validated against the signature when it is defined. */
  readonly examples?: readonly SignatureExample<z.input<I>, z.output<O>>[];
}

/** Ax's type-level parse of a DSL string (Ax does not export its parser type, only `s()`). */
type AxParsed<D extends string> =
  ReturnType<typeof s<D>> extends AxSignature<infer I, infer O> ? { inputs: I; outputs: O } : never;
/** Input type of a DSL signature, as Ax's grammar infers it. */
export type DslInputs<D extends string> = Simplify<AxParsed<D>['inputs']>;
/** Output type of a DSL signature, as Ax's grammar infers it. */
export type DslOutputs<D extends string> = Simplify<AxParsed<D>['outputs']>;

const NAME = /^[a-z][a-z0-9]*(?:[-_./][a-z0-9]+)*$/;

/**
 * Defines a signature from either form. Everything is checked here, at definition time: the name and
 * version, the DSL (with the position of a problem), field names Ax accepts, and the examples.
 */
export function defineSignature<const D extends string>(
  definition: DslSignatureDefinition<D>,
): Signature<DslInputs<D>, DslOutputs<D>>;
export function defineSignature<I extends z.ZodObject, O extends z.ZodObject>(
  definition: ZodSignatureDefinition<I, O>,
): Signature<z.input<I>, z.output<O>>;
export function defineSignature(
  definition: DslSignatureDefinition<string> | ZodSignatureDefinition<z.ZodObject, z.ZodObject>,
): Signature {
  const context = `signature "${definition.name}@${definition.version}"`;
  checkMetadata(definition, context);
  const built = 'signature' in definition ? fromDsl(definition, context) : fromZod(definition, context);
  return finish(definition, built, context);
}

/** Builds a signature from already-parsed field specs (the JSON form), with the same checks. */
export function defineSignatureFromParts(
  parts: SignatureMetadata & {
    readonly inputs: readonly FieldSpec[];
    readonly outputs: readonly FieldSpec[];
    readonly examples?: readonly SignatureExample[];
  },
): Signature {
  const context = `signature "${parts.name}@${parts.version}"`;
  checkMetadata(parts, context);
  const built: BuiltFields = {
    customValidation: false,
    inputs: parts.inputs,
    outputs: parts.outputs,
    inputSchema: fieldsToZod(parts.inputs, 'input'),
    outputSchema: fieldsToZod(parts.outputs, 'output'),
  };
  return finish(parts, built, context);
}

function finish(
  definition: SignatureMetadata & { readonly examples?: readonly SignatureExample[] },
  built: BuiltFields,
  context: string,
): Signature {
  const signature = new Signature({
    name: definition.name,
    version: definition.version,
    description: definition.description,
    instructions: definition.instructions ?? built.dslDescription ?? definition.description,
    tags: definition.tags ?? [],
    inputs: built.inputs,
    outputs: built.outputs,
    inputSchema: built.inputSchema,
    outputSchema: built.outputSchema,
    customValidation: built.customValidation,
    examples: (definition.examples ?? []) as readonly SignatureExample<FieldValues, FieldValues>[],
  });
  checkEngineAccepts(signature, context);
  checkExamples(signature, context);
  return signature;
}

interface BuiltFields {
  readonly customValidation: boolean;
  readonly dslDescription?: string | undefined;
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
  readonly inputSchema: z.ZodObject;
  readonly outputSchema: z.ZodObject;
}

function fromDsl(definition: DslSignatureDefinition<string>, context: string): BuiltFields {
  const parsed = parseSignatureDsl(definition.signature, context);
  return {
    dslDescription: parsed.description,
    customValidation: false,
    inputs: parsed.inputs,
    outputs: parsed.outputs,
    inputSchema: fieldsToZod(parsed.inputs, 'input'),
    outputSchema: fieldsToZod(parsed.outputs, 'output'),
  };
}

function fromZod(definition: ZodSignatureDefinition<z.ZodObject, z.ZodObject>, context: string): BuiltFields {
  const internal = new Set<string>(definition.internal ?? []);
  try {
    const inputs = fieldsFromZod(definition.inputs, 'input');
    const outputs = fieldsFromZod(definition.outputs, 'output', internal);
    for (const name of internal) {
      if (!outputs.some((field) => field.name === name)) {
        throw new UnsupportedSchemaError(`internal`, `internal field "${name}" is not an output field`);
      }
    }
    return {
      customValidation: true,
      inputs,
      outputs,
      inputSchema: definition.inputs.strict(),
      outputSchema: definition.outputs,
    };
  } catch (error) {
    if (!(error instanceof UnsupportedSchemaError)) throw error;
    throw new SignetError('SIGNET_SIGNATURE_INVALID', `${context} at ${error.path}: ${error.message}`, {
      cause: error,
      details: { path: error.path },
    });
  }
}

function checkMetadata(definition: SignatureMetadata, context: string): void {
  if (!NAME.test(definition.name)) {
    throw new SignetError(
      'SIGNET_SIGNATURE_INVALID',
      `${context}: name must be lowercase words joined by "-", "_", "." or "/" (for example "answer-question")`,
      { details: { path: 'name' } },
    );
  }
  if (semver.valid(definition.version) === null) {
    throw new SignetError(
      'SIGNET_SIGNATURE_INVALID',
      `${context}: version must be a semantic version such as "1.0.0"`,
      { details: { path: 'version' } },
    );
  }
}

function checkEngineAccepts(signature: Signature, context: string): void {
  const names = new Set<string>();
  for (const field of [...signature.inputs, ...signature.outputs]) {
    if (names.has(field.name)) {
      throw new SignetError(
        'SIGNET_SIGNATURE_INVALID',
        `${context}: field "${field.name}" is declared twice`,
        {
          details: { path: field.name },
        },
      );
    }
    names.add(field.name);
  }
  if (signature.inputs.length === 0 || signature.visibleOutputs.length === 0) {
    throw new SignetError(
      'SIGNET_SIGNATURE_INVALID',
      `${context}: needs at least one input and one output field`,
    );
  }
  try {
    signature.toAxSignature();
  } catch (error) {
    const message = (error as Error).message;
    const field = /[Ff]ield name ['"]([^'"]+)['"]/.exec(message)?.[1];
    throw new SignetError(
      'SIGNET_SIGNATURE_INVALID',
      `${context}${field === undefined ? '' : ` at field "${field}"`}: ${message}` +
        (/generic/i.test(message) ? ' (use a descriptive camelCase name such as "customerEmail")' : ''),
      { cause: error, details: field === undefined ? {} : { path: field } },
    );
  }
}

function checkExamples(signature: Signature, context: string): void {
  signature.examples.forEach((example, index) => {
    const inputs = signature.validateInput(example.inputs);
    const outputs = signature.parseOutput(example.outputs);
    const issues = [
      ...(inputs.ok ? [] : inputs.issues.map((i) => ({ ...i, path: ['inputs', ...i.path] }))),
      ...(outputs.ok ? [] : outputs.issues.map((i) => ({ ...i, path: ['outputs', ...i.path] }))),
    ];
    if (issues.length > 0) {
      throw new SignetError(
        'SIGNET_SIGNATURE_INVALID',
        `${context}: example ${index} does not match the signature: ${formatIssues(issues)}`,
        { issues, details: { path: `examples.${index}` } },
      );
    }
  });
}
