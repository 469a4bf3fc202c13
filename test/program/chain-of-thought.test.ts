import { describe, expect, it } from 'vitest';
import { chainOfThought, defineSignature } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const qa = defineSignature({
  name: 'solve',
  version: '1.0.0',
  signature: 'problemStatement:string -> solution:number',
});

describe('chainOfThought', () => {
  it('asks for reasoning before the answer and returns it', async () => {
    const ai = createScriptedProvider({
      replies: ['Reasoning: 2 apples plus 3 apples is 5 apples.\nSolution: 5'],
    });
    const result = await chainOfThought(qa).run({ problemStatement: '2 + 3 apples?' }, { ai });
    expect(result.outputs).toEqual({ reasoning: '2 apples plus 3 apples is 5 apples.', solution: 5 });
    expect(result.trace.program).toBe('chain-of-thought');
    const system = ai.calls[0]?.system ?? '';
    expect(system.indexOf('Reasoning')).toBeGreaterThan(-1);
    expect(system.indexOf('Reasoning')).toBeLessThan(system.indexOf('Solution'));
  });

  it('re-asks when the reasoning is missing', async () => {
    const ai = createScriptedProvider({ replies: ['Solution: 5', 'Reasoning: add them\nSolution: 5'] });
    const result = await chainOfThought(qa).run({ problemStatement: '2 + 3?' }, { ai });
    expect(result.outputs.reasoning).toBe('add them');
    expect(result.trace.attempts).toBe(2);
  });
});
