import { describe, expect, it } from 'vitest';
import { countWords } from '../../programs/bounded-summary.program.ts';
import {
  answerQuestionProgram,
  builtinPrograms,
  createBuiltinProgram,
  groundedAnswerProgram,
  readOnlySqlProgram,
} from '../../programs/index.ts';
import { readOnlyProblems } from '../../programs/read-only-sql.program.ts';
import { SignetError } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

describe('built-in programs', () => {
  it('have unique names and build programs of their declared kind', () => {
    const names = builtinPrograms.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const definition of builtinPrograms) expect(definition.create().kind).toBe(definition.kind);
    expect(() => createBuiltinProgram('nope')).toThrow(/available: answer-question/);
  });

  it('answer-question reasons before answering', async () => {
    const ai = createScriptedProvider({
      replies: ['Reasoning: Canberra was chosen as a compromise.\nAnswer: Canberra\nConfidence: 0.95'],
    });
    const result = await answerQuestionProgram.create().run({ question: 'Capital of Australia?' }, { ai });
    expect(result.outputs).toMatchObject({ answer: 'Canberra', confidence: 0.95 });
    expect(result.outputs.reasoning).toContain('compromise');
  });

  it('grounded-answer sends citations of missing passages back for revision', async () => {
    const ai = createScriptedProvider({
      replies: [
        'Answer: Five to seven days.\nCited Passage Indexes: [4]\nIs Answerable: true',
        'Answer: Five to seven days.\nCited Passage Indexes: [1]\nIs Answerable: true',
      ],
    });
    const result = await groundedAnswerProgram
      .create()
      .run(
        { question: 'Refund time?', passages: ['Shipping takes 2 days.', 'Refunds take 5 to 7 days.'] },
        { ai },
      );
    expect(result.outputs.citedPassageIndexes).toEqual([1]);
    expect(ai.calls[1]?.lastUserMessage).toContain('only passages 0-1 exist');
  });

  it('read-only-sql refuses to return a write query', async () => {
    const ai = createScriptedProvider({
      fallback: 'Sql Query: DELETE FROM orders\nExplanation: removes orders',
    });
    const run = readOnlySqlProgram
      .create()
      .run({ databaseSchema: 'CREATE TABLE orders(id int)', question: 'clear orders' }, { ai });
    await expect(run).rejects.toSatisfy((e) => SignetError.is(e) && e.code === 'SIGNET_REFINE_EXHAUSTED');
    expect(ai.calls).toHaveLength(3);
  });

  it('validators behave as documented', () => {
    expect(countWords('  two   words ')).toBe(2);
    expect(readOnlyProblems('SELECT 1')).toEqual([]);
    expect(readOnlyProblems('SELECT 1; DROP TABLE x')).toHaveLength(2);
    expect(readOnlyProblems('with t as (select 1) select * from t')).toEqual([]);
  });
});
