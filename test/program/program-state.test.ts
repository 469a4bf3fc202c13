import { describe, expect, it } from 'vitest';
import { chainOfThought, defineSignature, predict, refine } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const qa = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string -> answer:string',
});
const demos = [{ inputs: { question: 'Capital of Italy?' }, outputs: { answer: 'Rome' } }];

describe('program state', () => {
  it('round-trips instructions and demos through JSON', async () => {
    const tuned = predict(qa).withInstructions('Answer with one word.').withDemos(demos);
    const json = JSON.stringify(tuned.state());
    const loaded = predict(qa).withState(json);
    expect(loaded.state()).toEqual(tuned.state());
    const ai = createScriptedProvider({ replies: ['Answer: Paris'] });
    await loaded.run({ question: 'Capital of France?' }, { ai });
    const prompt = [ai.calls[0]?.system, ...(ai.calls[0]?.messages.map((m) => m.content) ?? [])].join('\n');
    expect(prompt).toContain('Answer with one word.');
    expect(prompt).toContain('Rome');
  });

  it('refuses state saved for another kind, another signature or a changed signature', () => {
    const state = predict(qa).state();
    expect(() => chainOfThought(qa).withState(state)).toThrow(/predict program/);
    const other = defineSignature({
      name: 'other',
      version: '1.0.0',
      signature: 'question:string -> answer:string',
    });
    expect(() => predict(other).withState(state)).toThrow(/answer-question/);
    expect(() => predict(qa.withInstructions('changed')).withState(state)).toThrow(/has changed/);
    expect(() => predict(qa).withState({ ...state, format: 'v0' })).toThrow(/signet.program\/v1/);
  });

  it('refuses demos that do not match the signature', () => {
    const bad = { ...predict(qa).state(), demos: [{ inputs: { question: 1 }, outputs: { answer: 'x' } }] };
    expect(() => predict(qa).withState(bad)).toThrow(/demo 0/);
  });

  it('keeps refine settings in its state', () => {
    const program = refine(qa, { validators: [], maxIterations: 5 });
    const state = program.state();
    expect(state.kind).toBe('refine');
    expect(state.settings).toEqual({ maxIterations: 5 });
    expect(refine(qa, { validators: [] }).withState(state).state().settings).toEqual({ maxIterations: 5 });
  });
});
