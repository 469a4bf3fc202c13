import { describe, expect, it } from 'vitest';
import { defineSignature, refine, SignetError } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const summarize = defineSignature({
  name: 'summarize',
  version: '1.0.0',
  signature: 'sourceText:string, maxWords:number -> summary:string',
});

const withinLimit = ({ summary }: { summary: string }, { maxWords }: { maxWords: number }) =>
  summary.split(/\s+/).length > maxWords
    ? `summary has ${summary.split(/\s+/).length} words; the limit is ${maxWords}`
    : undefined;

describe('refine', () => {
  it('returns the first attempt when validators pass', async () => {
    const ai = createScriptedProvider({ replies: ['Summary: Short.'] });
    const result = await refine(summarize, { validators: [withinLimit] }).run(
      { sourceText: 'long', maxWords: 3 },
      { ai },
    );
    expect(result.outputs.summary).toBe('Short.');
    expect(ai.calls).toHaveLength(1);
    expect(result.trace.steps.map((s) => s.type)).toEqual(['llm', 'validate']);
  });

  it('revises with validator problems and critic feedback until validators pass', async () => {
    const ai = createScriptedProvider({
      replies: ['Summary: far too many words here', 'Summary: Two words'],
    });
    const seenProblems: string[][] = [];
    const result = await refine(summarize, {
      validators: [withinLimit],
      critics: [
        ({ problems }) => {
          seenProblems.push([...problems]);
          return 'drop the filler words';
        },
      ],
    }).run({ sourceText: 'long', maxWords: 3 }, { ai });
    expect(result.outputs.summary).toBe('Two words');
    expect(seenProblems).toEqual([['summary has 5 words; the limit is 3']]);
    const revision = ai.calls[1]?.lastUserMessage ?? '';
    expect(revision).toContain('far too many words here');
    expect(revision).toContain('the limit is 3');
    expect(revision).toContain('drop the filler words');
    expect(result.trace.steps.map((s) => s.type)).toEqual(['llm', 'validate', 'critique', 'llm', 'validate']);
    expect(result.trace.program).toBe('refine');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
  });

  it('fails with SIGNET_REFINE_EXHAUSTED after maxIterations', async () => {
    const ai = createScriptedProvider({ fallback: 'Summary: still far too many words' });
    const run = refine(summarize, { validators: [withinLimit], maxIterations: 2 }).run(
      { sourceText: 'x', maxWords: 1 },
      { ai },
    );
    await expect(run).rejects.toSatisfy(
      (error) =>
        SignetError.is(error) &&
        error.code === 'SIGNET_REFINE_EXHAUSTED' &&
        /after 2 iteration/.test(error.message),
    );
    expect(ai.calls).toHaveLength(2);
  });

  it('rejects an impossible iteration count', () => {
    expect(() => refine(summarize, { validators: [], maxIterations: 0 })).toThrow(/maxIterations/);
  });
});
