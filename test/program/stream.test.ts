import { describe, expect, it } from 'vitest';
import { defineSignature, type ProgramStreamEvent, predict, refine, SignetError } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const qa = defineSignature({
  name: 'qa',
  version: '1.0.0',
  signature: 'question:string -> answer:string, confidence:number',
});

async function collect<O extends Record<string, unknown>>(events: AsyncIterable<ProgramStreamEvent<O>>) {
  const seen: ProgramStreamEvent<O>[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('program.stream', () => {
  it('yields typed partial fields, then a final result equal to run()', async () => {
    const ai = createScriptedProvider({ fallback: 'Answer: Paris is the capital\nConfidence: 0.9' });
    const events = await collect(predict(qa).stream({ question: 'Capital?' }, { ai }));
    const final = events.at(-1);
    expect(final?.type).toBe('final');
    if (final?.type !== 'final') return;
    expect(final.result.outputs).toEqual({ answer: 'Paris is the capital', confidence: 0.9 });
    const partials = events.filter((e) => e.type === 'partial');
    expect(partials.length).toBeGreaterThan(0);
    const lastPartial = partials.at(-1);
    if (lastPartial?.type === 'partial') expect(lastPartial.outputs.answer).toBe('Paris is the capital');
    const ran = await predict(qa).run({ question: 'Capital?' }, { ai });
    expect(ran.outputs).toEqual(final.result.outputs);
  });

  it('resets when a re-ask starts over and still ends with valid outputs', async () => {
    const ai = createScriptedProvider({
      replies: ['Answer: x\nConfidence: lots', 'Answer: y\nConfidence: 0.2'],
    });
    const events = await collect(predict(qa).stream({ question: 'q' }, { ai }));
    const final = events.at(-1);
    expect(final?.type === 'final' && final.result.outputs).toEqual({ answer: 'y', confidence: 0.2 });
    expect(final?.type === 'final' && final.result.trace.attempts).toBe(2);
  });

  it('rejects invalid inputs before streaming and surfaces errors as signet errors', async () => {
    const ai = createScriptedProvider({ fallback: { error: new Error('boom 500') } });
    const stream = predict(qa).stream({ question: 'q' }, { ai, maxRetries: 0 });
    await expect(collect(stream)).rejects.toSatisfy(
      (e) => SignetError.is(e) && e.code === 'SIGNET_PROVIDER_ERROR',
    );
    await expect(collect(predict(qa).stream({ question: 1 } as never, { ai }))).rejects.toSatisfy(
      (e) => SignetError.is(e) && e.code === 'SIGNET_INPUT_INVALID',
    );
  });

  it('refine streams each revision after a reset', async () => {
    const ai = createScriptedProvider({
      replies: ['Answer: long long long\nConfidence: 1', 'Answer: short\nConfidence: 1'],
    });
    const program = refine(qa, {
      validators: [({ answer }) => (answer.length > 10 ? 'too long' : undefined)],
    });
    const events = await collect(program.stream({ question: 'q' }, { ai }));
    expect(events.filter((e) => e.type === 'reset').map((e) => e.type === 'reset' && e.reason)).toEqual([
      'revise',
    ]);
    const final = events.at(-1);
    expect(final?.type === 'final' && final.result.outputs.answer).toBe('short');
  });
});
