import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { chainOfThought, defineSignature, predict, type RunResult, react, refine } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const fromDsl = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string -> answer:string, confidence:number',
});

const fromZod = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  inputs: z.object({ question: z.string() }),
  outputs: z.object({ answer: z.string(), confidence: z.number() }),
});

const ai = createScriptedProvider();

describe('output types are inferred from signatures', () => {
  it('infers { answer: string; confidence: number } from the DSL form', () => {
    expectTypeOf(predict(fromDsl).run({ question: 'q' }, { ai })).resolves.toEqualTypeOf<
      RunResult<{ answer: string; confidence: number }>
    >();
  });

  it('infers the same type from the zod form', () => {
    expectTypeOf(predict(fromZod).run({ question: 'q' }, { ai })).resolves.toEqualTypeOf<
      RunResult<{ answer: string; confidence: number }>
    >();
  });

  it('types inputs, so a wrong input is a compile error', () => {
    // @ts-expect-error question must be a string
    void predict(fromDsl).run({ question: 1 }, { ai });
    // @ts-expect-error unknown input field
    void predict(fromZod).run({ question: 'q', extra: true }, { ai });
  });

  it('adds reasoning to chain-of-thought outputs', () => {
    expectTypeOf(chainOfThought(fromDsl).run({ question: 'q' }, { ai })).resolves.toEqualTypeOf<
      RunResult<{ answer: string; confidence: number; reasoning: string }>
    >();
  });

  it('keeps the signature types for react and refine', async () => {
    const viaReact = await react(fromZod, { tools: [] }).run({ question: 'q' }, { ai });
    expectTypeOf(viaReact.outputs).toEqualTypeOf<{ answer: string; confidence: number }>();
    const viaRefine = refine(fromDsl, {
      validators: [(outputs) => (outputs.confidence > 1 ? 'too confident' : undefined)],
    });
    expectTypeOf(viaRefine.signature.$output).toEqualTypeOf<{ answer: string; confidence: number }>();
  });

  it('infers classes, arrays, optionals and nested objects from the DSL', () => {
    const rich = defineSignature({
      name: 'rich',
      version: '1.0.0',
      signature:
        'reviewText:string, tags?:string[] -> mood:class "happy, sad", themes:string[], author:object{ fullName:string }',
    });
    expectTypeOf(rich.$input).toEqualTypeOf<{ reviewText: string; tags?: string[] }>();
    expectTypeOf(rich.$output).toEqualTypeOf<{
      mood: 'happy' | 'sad';
      themes: string[];
      author: { fullName: string };
    }>();
  });
});
