import { AxGen, AxPromptTemplate } from '@ax-llm/ax';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../signatures/index.ts';
import { defineSignature, type Signature } from '../../src/index.ts';
import { createMemoizedPromptTemplate } from '../../src/program/memoized-prompt-template.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import type { RecordedCall } from '../../src/testing/scripted-reply.ts';

type Inputs = Record<string, unknown>;

/** Every chat call a generator makes for these inputs, in order (the reply never parses, so re-asks too). */
async function promptsFor(gen: AxGen, inputSequence: readonly Inputs[]): Promise<RecordedCall[]> {
  const ai = createScriptedProvider({ fallback: 'unparseable' });
  for (const inputs of inputSequence) {
    await gen.forward(ai, inputs, { maxRetries: 1 }).catch(() => undefined);
  }
  return ai.calls.map(({ system, messages }) => ({ system, messages }) as RecordedCall);
}

/** Inputs that exercise the memo key: both examples, optional inputs dropped, emptied, nulled. */
function inputVariants(signature: Signature): Inputs[] {
  const optional = signature.inputs.filter((field) => field.optional).map((field) => field.name);
  const [first, second] = signature.examples.map((example) => ({ ...example.inputs }) as Inputs);
  if (first === undefined || second === undefined) throw new Error(`${signature.id} needs two examples`);
  const without = (inputs: Inputs, value: unknown) =>
    Object.fromEntries(
      Object.entries(inputs).flatMap(([name, v]) =>
        optional.includes(name) ? (value === undefined ? [] : [[name, value]]) : [[name, v]],
      ),
    );
  return [first, without(first, undefined), second, without(second, ''), first, without(first, undefined)];
}

describe('createMemoizedPromptTemplate', () => {
  it('memoizes with the installed Ax (Ax still builds its system prompt in buildStructuredPrompt)', () => {
    expect(createMemoizedPromptTemplate()).not.toBe(AxPromptTemplate);
  });

  it.each(catalog.map((signature) => [signature.id, signature] as const))(
    'sends exactly the prompts Ax builds itself for %s (inputs with and without optional fields, demos, instruction)',
    async (_id, signature) => {
      const variants = inputVariants(signature);
      // One memo across every phase, as a program's generator keeps it while an optimizer edits it.
      const memo = createMemoizedPromptTemplate();
      const build = (memoized: boolean, instruction: boolean, demos: boolean) => {
        const gen = new AxGen(signature.toAxSignature(), memoized ? { promptTemplate: memo } : {});
        if (instruction) gen.setInstruction('Be brief. Mention the `question` only when it is ambiguous.');
        if (demos) {
          gen.setExamples(
            signature.examples.map((example) => ({ ...example.inputs, ...example.outputs })) as never,
          );
        }
        return gen;
      };
      const phases = [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
        [false, false],
      ] as const;
      for (const [instruction, demos] of phases) {
        expect(await promptsFor(build(true, instruction, demos), variants)).toEqual(
          await promptsFor(build(false, instruction, demos), variants),
        );
      }
    },
  );

  it('keeps programs apart: two memoized templates never share a prompt across signatures', async () => {
    const a = defineSignature({
      name: 'a',
      version: '1.0.0',
      signature: '"Say yes." question:string -> answer:string',
    });
    const b = defineSignature({
      name: 'b',
      version: '1.0.0',
      signature: '"Say no." question:string -> answer:string',
    });
    const template = createMemoizedPromptTemplate();
    const [callA] = await promptsFor(new AxGen(a.toAxSignature(), { promptTemplate: template }), [
      { question: 'q' },
    ]);
    const [callB] = await promptsFor(new AxGen(b.toAxSignature(), { promptTemplate: template }), [
      { question: 'q' },
    ]);
    expect(callA?.system).toContain('Say yes.');
    expect(callB?.system).toContain('Say no.');
  });
});
