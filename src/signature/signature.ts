import type { AxSignature } from '@ax-llm/ax';
import { z } from 'zod';
import { SignetError } from '../errors/signet-error.ts';
import { hashCanonical } from '../util/canonical-json.ts';
import type { FieldSide, FieldSpec } from './field-spec.ts';
import { fieldsFromZod } from './fields-from-zod.ts';
import { buildAxSignature } from './fields-to-ax.ts';
import type { FieldValues, SignatureExample, SignatureJson, Simplify } from './signature-types.ts';
import { type ValidationResult, validateWith } from './validation-result.ts';

/** Everything a signature is made of; produced by `defineSignature` and `fromJSON`. */
export interface SignatureParts {
  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly instructions: string | undefined;
  readonly tags: readonly string[];
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
  readonly inputSchema: z.ZodObject;
  readonly outputSchema: z.ZodObject;
  readonly examples: readonly SignatureExample[];
  /**
   * True when the schemas are the user's own zod schemas, which may hold checks (refinements,
   * transforms) the engine cannot see; false when they are derived from field specs (DSL, JSON).
   */
  readonly customValidation: boolean;
}

/** JSON Schemas of a signature's two sides. */
export interface SignatureJsonSchemas {
  readonly input: Record<string, unknown>;
  readonly output: Record<string, unknown>;
}

/**
 * A typed input -> output contract. Immutable: every modifier returns a new signature. `I` and `O` are the
 * inferred TypeScript types of inputs and outputs, so programs built from it return typed outputs.
 */
export class Signature<I extends FieldValues = FieldValues, O extends FieldValues = FieldValues> {
  /** Phantom members carrying the inferred types; they hold no value at run time. */
  declare readonly $input: I;
  declare readonly $output: O;

  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly instructions: string | undefined;
  readonly tags: readonly string[];
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
  readonly examples: readonly SignatureExample<I, O>[];
  /** Whether the schemas carry user zod checks beyond the field specs (see SignatureParts). */
  readonly customValidation: boolean;
  readonly #inputSchema: z.ZodObject;
  readonly #outputSchema: z.ZodObject;
  #hash: string | undefined;
  #jsonSchema: SignatureJsonSchemas | undefined;

  /** Use `defineSignature()` or `Signature.fromJSON()`; this constructor trusts already-checked parts. */
  constructor(parts: SignatureParts) {
    this.name = parts.name;
    this.version = parts.version;
    this.description = parts.description;
    this.instructions = parts.instructions;
    this.tags = Object.freeze([...parts.tags]);
    this.inputs = deepFreeze([...parts.inputs]);
    this.outputs = deepFreeze([...parts.outputs]);
    this.examples = deepFreeze([...parts.examples]) as readonly SignatureExample<I, O>[];
    this.customValidation = parts.customValidation;
    this.#inputSchema = parts.inputSchema;
    this.#outputSchema = parts.outputSchema;
    Object.freeze(this);
  }

  /** `name@version`, the registry reference of this exact signature. */
  get id(): string {
    return `${this.name}@${this.version}`;
  }

  /** Output fields callers see (internal scratchpad fields excluded). */
  get visibleOutputs(): readonly FieldSpec[] {
    return this.outputs.filter((field) => !field.internal);
  }

  /** Checks inputs: unknown keys, missing required fields and wrong types are issues. */
  validateInput(inputs: unknown): ValidationResult<I> {
    return validateWith<I>(this.#inputSchema, inputs);
  }

  /** Checks a model's outputs (an object, or JSON text of one) against the output fields. */
  parseOutput(outputs: unknown): ValidationResult<O> {
    if (typeof outputs === 'string') {
      try {
        return validateWith<O>(this.#outputSchema, JSON.parse(outputs));
      } catch {
        return {
          ok: false,
          issues: [{ path: [], code: 'invalid_json', message: 'output is not valid JSON' }],
        };
      }
    }
    return validateWith<O>(this.#outputSchema, outputs);
  }

  /** JSON Schemas (draft 2020-12) for inputs and outputs. */
  jsonSchema(): SignatureJsonSchemas {
    this.#jsonSchema ??= {
      input: toJsonSchema(this.#inputSchema, 'input'),
      output: toJsonSchema(this.#outputSchema, 'output'),
    };
    return this.#jsonSchema;
  }

  /** SHA-256 of the canonical JSON form: equal definitions hash equally whatever their key order. */
  hash(): string {
    this.#hash ??= hashCanonical(this.toJSON());
    return this.#hash;
  }

  /** A fresh Ax signature that runs this contract. */
  toAxSignature(): AxSignature {
    return buildAxSignature(this.instructions, this.inputs, this.outputs);
  }

  /** Lossless JSON form. Zod refinements beyond field constraints are not carried (see docs). */
  toJSON(): SignatureJson {
    return {
      format: 'signet.signature/v1',
      name: this.name,
      version: this.version,
      ...(this.description === undefined ? {} : { description: this.description }),
      ...(this.instructions === undefined ? {} : { instructions: this.instructions }),
      tags: this.tags,
      inputs: this.inputs,
      outputs: this.outputs,
      examples: this.examples,
    };
  }

  /** A copy with new instructions for the model. */
  withInstructions(instructions: string): Signature<I, O> {
    return this.#with({ instructions });
  }

  /** A copy with another version (a changed contract should get a new version). */
  withVersion(version: string): Signature<I, O> {
    return this.#with({ version });
  }

  /** A copy under another registry name. */
  withName(name: string): Signature<I, O> {
    return this.#with({ name });
  }

  /** A copy with different examples. */
  withExamples(examples: readonly SignatureExample<I, O>[]): Signature<I, O> {
    return this.#with({ examples });
  }

  /** A copy with one more input field, described by a zod schema. */
  withInputField<K extends string, T extends z.ZodType>(
    name: K,
    schema: T,
    options: { position?: 'start' | 'end' } = {},
  ): Signature<Simplify<I & { [P in K]: z.input<T> }>, O> {
    return this.#withField('input', name, schema, options.position ?? 'end', false) as never;
  }

  /** A copy with one more output field; `internal` fields are filled by the model but not returned. */
  withOutputField<K extends string, T extends z.ZodType>(
    name: K,
    schema: T,
    options: { position?: 'start' | 'end'; internal?: boolean } = {},
  ): Signature<I, Simplify<O & { [P in K]: z.output<T> }>> {
    return this.#withField(
      'output',
      name,
      schema,
      options.position ?? 'end',
      options.internal === true,
    ) as never;
  }

  /** A copy without the named input or output field. */
  withoutField<K extends string>(name: K): Signature<Simplify<Omit<I, K>>, Simplify<Omit<O, K>>> {
    const side: FieldSide | undefined = this.inputs.some((f) => f.name === name)
      ? 'input'
      : this.outputs.some((f) => f.name === name)
        ? 'output'
        : undefined;
    if (side === undefined) {
      throw new SignetError('SIGNET_SIGNATURE_INVALID', `${this.id}: cannot remove "${name}": no such field`);
    }
    const schema = side === 'input' ? this.#inputSchema : this.#outputSchema;
    const next = schema.omit({ [name]: true } as Record<string, true>);
    const fields = (side === 'input' ? this.inputs : this.outputs).filter((f) => f.name !== name);
    return this.#with(
      side === 'input' ? { inputs: fields, inputSchema: next } : { outputs: fields, outputSchema: next },
    ) as never;
  }

  #withField(side: FieldSide, name: string, schema: z.ZodType, position: 'start' | 'end', internal: boolean) {
    if ([...this.inputs, ...this.outputs].some((f) => f.name === name)) {
      throw new SignetError('SIGNET_SIGNATURE_INVALID', `${this.id}: field "${name}" already exists`);
    }
    const base = side === 'input' ? this.#inputSchema : this.#outputSchema;
    const added = internal ? schema.optional() : schema;
    const shape = position === 'start' ? { [name]: added, ...base.shape } : { ...base.shape, [name]: added };
    const nextSchema = side === 'input' ? z.strictObject(shape) : z.object(shape);
    const [spec] = fieldsFromZod(z.object({ [name]: schema }), side, internal ? new Set([name]) : new Set());
    if (spec === undefined) throw new Error('unreachable: one field in, one spec out');
    const current = side === 'input' ? this.inputs : this.outputs;
    const fields = position === 'start' ? [spec, ...current] : [...current, spec];
    return this.#with(
      side === 'input'
        ? { inputs: fields, inputSchema: nextSchema }
        : { outputs: fields, outputSchema: nextSchema },
    );
  }

  #with(changes: Partial<SignatureParts>): Signature<I, O> {
    const next = new Signature<I, O>({
      name: this.name,
      version: this.version,
      description: this.description,
      instructions: this.instructions,
      tags: this.tags,
      inputs: this.inputs,
      outputs: this.outputs,
      inputSchema: this.#inputSchema,
      outputSchema: this.#outputSchema,
      examples: this.examples,
      customValidation: this.customValidation,
      ...changes,
    });
    next.toAxSignature(); // the engine must accept every derived signature, too
    return next;
  }
}

function toJsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  }) as Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
