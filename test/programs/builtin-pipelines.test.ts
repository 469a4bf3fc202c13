import { describe, expect, it } from 'vitest';
import { researchAnswerReply } from '../../bench/crash/research-answer-replies.ts';
import { builtinPipelines, researchAnswerPipeline, supportReplyPipeline } from '../../programs/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

describe('built-in pipelines', () => {
  it('have unique ids and an input schema each', () => {
    expect(new Set(builtinPipelines.map((p) => p.id)).size).toBe(builtinPipelines.length);
    for (const pipeline of builtinPipelines) expect(pipeline.inputsSchema).toBeDefined();
  });

  it('research-answer runs its five steps, the cited answer and the direct one together', async () => {
    const steps: string[] = [];
    const reply = researchAnswerReply((call) => steps.push(call.step));
    const ai = createScriptedProvider({
      fallback: (call) => ({
        content: reply({
          json: {
            messages: [
              { role: 'system', content: call.system },
              { role: 'user', content: call.lastUserMessage },
            ],
          },
        }),
      }),
    });
    const result = await researchAnswerPipeline.run(
      {
        question: 'How long do refunds take? [run-1]',
        passages: ['Refunds take 5 days.', 'Shipping: 2 days.'],
      },
      { ai },
    );
    expect(steps.slice(0, 1)).toEqual(['brief']);
    expect(steps.slice(1, 3).sort()).toEqual(['cited', 'direct']);
    expect(steps.slice(3)).toEqual(['review', 'followUp']);
    expect(result.outputs).toMatchObject({ citedPassageIndexes: [0], isAnswerable: true, verdict: 'revise' });
    expect(result.outputs.followUpQueries).toHaveLength(2);
    expect(researchAnswerPipeline.validateInputs({ question: 'q', passages: [] }).ok).toBe(false);
  });

  it('support-reply triages, drafts, critiques and revises, feeding the critique into the revision', async () => {
    const ai = createScriptedProvider({
      rules: [
        {
          when: (call) => call.system.includes('ticketCategory'),
          reply: {
            content:
              'ticketCategory: billing\nticketPriority: high\nneedsHuman: false\nroutingReason: A duplicate charge.',
          },
        },
        {
          when: (call) => call.system.includes('`verdict`'),
          reply: {
            content: 'score: 6\nstrengths: ["polite"]\nweaknesses: ["no refund date"]\nverdict: revise',
          },
        },
        {
          when: (call) => call.system.includes('`rewrittenText`'),
          reply: {
            content: 'rewrittenText: Hi! Your refund arrives in 5 days.\nchangeNotes: ["added the date"]',
          },
        },
        {
          when: (call) => call.system.includes('`confidence`'),
          reply: { content: 'answer: We will refund you.\nconfidence: 0.7' },
        },
      ],
    });
    const result = await supportReplyPipeline.run(
      { ticketText: 'Charged twice\nPlease refund.', knowledge: 'Refunds take 5 days.' },
      { ai },
    );
    expect(result.outputs).toEqual({
      reply: 'Hi! Your refund arrives in 5 days.',
      category: 'billing',
      priority: 'high',
      needsHuman: false,
      reviewScore: 6,
    });
    const draft = ai.calls.find((c) => c.system.includes('`confidence`'));
    expect(draft?.lastUserMessage).toContain('high-priority billing ticket');
    expect(ai.calls.at(-1)?.lastUserMessage).toContain('Fix: no refund date');
  });
});
