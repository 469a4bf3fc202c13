import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSignature, SignetError, signatureFromJSON } from '../../src/index.ts';

const dsl = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  description: 'Answers a question',
  signature: 'question:string "the question" -> answer:string, confidence:number(min 0, max 1)',
});

const zodForm = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  description: 'Answers a question',
  inputs: z.object({ question: z.string().describe('the question') }),
  outputs: z.object({ answer: z.string(), confidence: z.number().min(0).max(1) }),
});

function thrown(fn: () => unknown): SignetError {
  try {
    fn();
  } catch (error) {
    if (SignetError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a SignetError');
}

describe('defineSignature: the two forms', () => {
  it('produces the same fields, JSON Schema and hash from the DSL and from zod', () => {
    expect(zodForm.inputs).toEqual(dsl.inputs);
    expect(zodForm.outputs).toEqual(dsl.outputs);
    expect(zodForm.jsonSchema()).toEqual(dsl.jsonSchema());
    expect(zodForm.hash()).toBe(dsl.hash());
  });

  it('validates inputs and outputs the same way in both forms', () => {
    for (const sig of [dsl, zodForm]) {
      expect(sig.validateInput({ question: 'Why?' })).toEqual({ ok: true, value: { question: 'Why?' } });
      expect(sig.parseOutput({ answer: 'Because', confidence: 1.5 }).ok).toBe(false);
      expect(sig.parseOutput('{"answer":"Because","confidence":0.5}')).toEqual({
        ok: true,
        value: { answer: 'Because', confidence: 0.5 },
      });
    }
  });

  it('reports input problems as zod-style issues with paths, including unknown fields', () => {
    const result = dsl.validateInput({ question: 42, extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['question'], code: 'invalid_type' }),
        expect.objectContaining({ path: [], code: 'unrecognized_keys' }),
      ]),
    );
  });

  it('returns an issue instead of throwing for output that is not JSON', () => {
    expect(dsl.parseOutput('{not json')).toEqual({
      ok: false,
      issues: [{ path: [], code: 'invalid_json', message: 'output is not valid JSON' }],
    });
  });

  it('maps rich DSL types: classes, arrays, optional, nested objects, bounds', () => {
    const sig = defineSignature({
      name: 'rich',
      version: '1.0.0',
      signature:
        'reviewText:string(max 50), tags?:string[] -> mood:class "happy, sad", themes:string[], profile:object{ fullName:string, age?:number(min 0) }',
    });
    expect(sig.validateInput({ reviewText: 'x'.repeat(51) }).ok).toBe(false);
    expect(sig.validateInput({ reviewText: 'fine' }).ok).toBe(true);
    expect(sig.parseOutput({ mood: 'angry', themes: [], profile: { fullName: 'A' } }).ok).toBe(false);
    expect(sig.parseOutput({ mood: 'sad', themes: ['x'], profile: { fullName: 'A', age: -1 } }).ok).toBe(
      false,
    );
    expect(sig.parseOutput({ mood: 'sad', themes: ['x'], profile: { fullName: 'A' } }).ok).toBe(true);
    expect(sig.jsonSchema().output).toMatchObject({
      properties: { mood: { enum: ['happy', 'sad'] }, themes: { type: 'array', items: { type: 'string' } } },
    });
  });

  it('uses the DSL description as instructions, then the metadata description', () => {
    const withQuote = defineSignature({
      name: 'x',
      version: '1.0.0',
      signature: '"Be brief" question:string -> answer:string',
    });
    expect(withQuote.instructions).toBe('Be brief');
    expect(dsl.instructions).toBe('Answers a question');
  });
});

describe('defineSignature: invalid definitions fail at definition time', () => {
  it('rejects a bad DSL type with its line and column', () => {
    const error = thrown(() =>
      defineSignature({ name: 'x', version: '1.0.0', signature: 'question:strin -> answer:string' }),
    );
    expect(error.code).toBe('SIGNET_SIGNATURE_INVALID');
    expect(error.details).toMatchObject({ line: 1, column: 10 });
    expect(error.message).toContain('line 1, column 10');
    expect(error.message).toContain('          ^');
  });

  it('points at the right line of a multi-line DSL', () => {
    const error = thrown(() =>
      defineSignature({
        name: 'x',
        version: '1.0.0',
        signature: 'question:string\n-> answer:string, text:string',
      }),
    );
    expect(error.details).toMatchObject({ line: 2, column: 19 });
    expect(error.message).toMatch(/too generic/);
  });

  it('reports unterminated quotes, unbalanced brackets and a missing arrow where they are', () => {
    expect(
      thrown(() =>
        defineSignature({ name: 'x', version: '1.0.0', signature: 'question:string "oops -> answer:string' }),
      ).details,
    ).toMatchObject({ column: 17 });
    expect(
      thrown(() =>
        defineSignature({ name: 'x', version: '1.0.0', signature: 'question:string -> answer:string[' }),
      ).details,
    ).toMatchObject({ column: 33 });
    expect(
      thrown(() =>
        defineSignature({ name: 'x', version: '1.0.0', signature: 'question:string answer:string' }),
      ).message,
    ).toMatch(/missing "->"/);
  });

  it('rejects bad names, versions and examples, naming what is wrong', () => {
    expect(
      thrown(() =>
        defineSignature({
          name: 'Bad Name',
          version: '1.0.0',
          signature: 'question:string -> answer:string',
        }),
      ).details,
    ).toEqual({ path: 'name' });
    expect(
      thrown(() =>
        defineSignature({ name: 'x', version: 'v1', signature: 'question:string -> answer:string' }),
      ).details,
    ).toEqual({ path: 'version' });
    const bad = thrown(() =>
      defineSignature({
        name: 'x',
        version: '1.0.0',
        signature: 'question:string -> confidence:number',
        examples: [{ inputs: { question: 'q' }, outputs: { confidence: 'high' as unknown as number } }],
      }),
    );
    expect(bad.details).toEqual({ path: 'examples.0' });
    expect(bad.issues?.[0]?.path).toEqual(['outputs', 'confidence']);
  });

  it('rejects zod schemas a signature cannot express, with the field path', () => {
    const error = thrown(() =>
      defineSignature({
        name: 'x',
        version: '1.0.0',
        inputs: z.object({ question: z.string() }),
        outputs: z.object({ answer: z.union([z.string(), z.number()]) }),
      }),
    );
    expect(error.message).toContain('outputs.answer');
  });

  it('rejects generic field names in the zod form too', () => {
    const error = thrown(() =>
      defineSignature({
        name: 'x',
        version: '1.0.0',
        inputs: z.object({ text: z.string() }),
        outputs: z.object({ answer: z.string() }),
      }),
    );
    expect(error.message).toMatch(/generic/);
    expect(error.details).toEqual({ path: 'text' });
  });
});

describe('signature values', () => {
  it('are immutable; modifiers return new signatures', () => {
    const next = dsl.withInstructions('Answer in French');
    expect(next).not.toBe(dsl);
    expect(dsl.instructions).toBe('Answers a question');
    expect(next.instructions).toBe('Answer in French');
    expect(next.hash()).not.toBe(dsl.hash());
    expect(Object.isFrozen(dsl)).toBe(true);
    expect(Object.isFrozen(dsl.inputs[0])).toBe(true);
  });

  it('adds and removes fields', () => {
    const more = dsl.withOutputField('sources', z.array(z.string()).describe('where the answer came from'));
    expect(more.outputs.map((f) => f.name)).toEqual(['answer', 'confidence', 'sources']);
    expect(more.parseOutput({ answer: 'a', confidence: 0.1 }).ok).toBe(false);
    const less = more.withoutField('confidence');
    expect(less.parseOutput({ answer: 'a', sources: [] }).ok).toBe(true);
    expect(() => dsl.withInputField('question', z.string())).toThrow(/already exists/);
  });

  it('round-trips through JSON with the same hash and behaviour', () => {
    const back = signatureFromJSON(JSON.stringify(zodForm));
    expect(back.hash()).toBe(zodForm.hash());
    expect(back.toJSON()).toEqual(zodForm.toJSON());
    expect(back.parseOutput({ answer: 'a', confidence: 2 }).ok).toBe(false);
  });

  it('rejects JSON that is not a signature document', () => {
    expect(() => signatureFromJSON('{"format":"other"}')).toThrow(/signet.signature\/v1/);
    expect(() => signatureFromJSON('nope')).toThrow(/not valid JSON/);
  });
});
