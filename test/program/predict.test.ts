import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSignature, OutputParseError, predict, SignetError } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const qa = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string -> answer:string, confidence:number(min 0, max 1)',
});

async function rejection(promise: Promise<unknown>): Promise<SignetError> {
  try {
    await promise;
  } catch (error) {
    if (SignetError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the run to fail');
}

describe('predict', () => {
  it('returns typed outputs, usage and a trace', async () => {
    const ai = createScriptedProvider({
      replies: [
        { content: 'Answer: Paris\nConfidence: 0.9', usage: { promptTokens: 12, completionTokens: 4 } },
      ],
    });
    const result = await predict(qa).run({ question: 'Capital of France?' }, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris', confidence: 0.9 });
    expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 4, totalTokens: 16 });
    expect(result.trace).toMatchObject({
      program: 'predict',
      signature: 'answer-question@1.0.0',
      provider: 'scripted',
      model: 'scripted-model',
      attempts: 1,
      retries: 0,
    });
    expect(ai.calls[0]?.lastUserMessage).toContain('Capital of France?');
  });

  it('rejects invalid inputs before calling the model', async () => {
    const ai = createScriptedProvider();
    const error = await rejection(
      predict(qa).run({ question: 3 } as unknown as { question: string }, { ai }),
    );
    expect(error.code).toBe('SIGNET_INPUT_INVALID');
    expect(error.statusCode).toBe(400);
    expect(error.issues?.[0]).toMatchObject({ path: ['question'], code: 'invalid_type' });
    expect(ai.calls).toHaveLength(0);
  });

  it('re-asks with the error fed back when output is wrong, then succeeds', async () => {
    const ai = createScriptedProvider({
      replies: ['Answer: Paris\nConfidence: very high', 'Answer: Paris\nConfidence: 0.8'],
    });
    const result = await predict(qa).run({ question: 'Capital?' }, { ai });
    expect(result.outputs.confidence).toBe(0.8);
    expect(result.trace).toMatchObject({ attempts: 2, retries: 1 });
    expect(ai.calls[1]?.lastUserMessage).toMatch(/Confidence.*invalid/i);
  });

  it('raises a typed parse error carrying the raw text after the re-ask limit', async () => {
    const ai = createScriptedProvider({ fallback: 'Answer: Paris\nConfidence: 7' });
    const error = await rejection(predict(qa).run({ question: 'Capital?' }, { ai, maxRetries: 1 }));
    expect(error).toBeInstanceOf(OutputParseError);
    const parseError = error as OutputParseError;
    expect(parseError.code).toBe('SIGNET_OUTPUT_INVALID');
    expect(parseError.rawText).toBe('Answer: Paris\nConfidence: 7');
    expect(parseError.attempts).toBe(2);
    expect(parseError.issues?.[0]?.path).toEqual(['confidence']);
    expect(ai.calls).toHaveLength(2);
  });

  it('feeds zod refinements Ax cannot see into the same re-ask loop', async () => {
    const strict = defineSignature({
      name: 'shout',
      version: '1.0.0',
      inputs: z.object({ question: z.string() }),
      outputs: z.object({
        answer: z.string().refine((s) => s === s.toUpperCase(), 'answer must be upper case'),
      }),
    });
    const ai = createScriptedProvider({ replies: ['Answer: quiet', 'Answer: LOUD'] });
    const result = await predict(strict).run({ question: 'Say it' }, { ai });
    expect(result.outputs.answer).toBe('LOUD');
    expect(ai.calls[1]?.lastUserMessage).toContain('answer must be upper case');
  });

  it('passes model settings through and aborts with SIGNET_ABORTED', async () => {
    const ai = createScriptedProvider({
      replies: ['Answer: a\nConfidence: 0.5', { content: 'Answer: b\nConfidence: 0.5', delayMs: 5_000 }],
    });
    await predict(qa).run({ question: 'q' }, { ai, temperature: 0.3, maxTokens: 50, model: 'big' });
    expect(ai.calls[0]?.modelConfig).toMatchObject({ temperature: 0.3, maxTokens: 50 });
    expect(ai.calls[0]?.model).toBe('big');
    const controller = new AbortController();
    const pending = predict(qa).run({ question: 'q' }, { ai, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await rejection(pending);
    expect(error.code).toBe('SIGNET_ABORTED');
  });

  it('maps provider failures to SIGNET_PROVIDER_ERROR and keeps the cause', async () => {
    const ai = createScriptedProvider({ fallback: { error: new Error('503 upstream overloaded') } });
    const error = await rejection(predict(qa).run({ question: 'q' }, { ai, maxRetries: 0 }));
    expect(error.code).toBe('SIGNET_PROVIDER_ERROR');
    expect(error.retryable).toBe(true);
  });

  it('fails loudly when a scripted provider runs out of replies', async () => {
    const ai = createScriptedProvider({ replies: [] });
    const error = await rejection(predict(qa).run({ question: 'q' }, { ai }));
    expect(error.code).toBe('SIGNET_SCRIPT_EXHAUSTED');
  });

  it('answers from rules that inspect the call', async () => {
    const ai = createScriptedProvider({
      rules: [
        { when: /France/, reply: 'Answer: Paris\nConfidence: 1' },
        { when: (call) => call.lastUserMessage.includes('Italy'), reply: 'Answer: Rome\nConfidence: 1' },
      ],
    });
    const program = predict(qa);
    expect((await program.run({ question: 'Italy?' }, { ai })).outputs.answer).toBe('Rome');
    expect((await program.run({ question: 'France?' }, { ai })).outputs.answer).toBe('Paris');
  });

  it('shares one program between concurrent runs without mixing their traces', async () => {
    const ai = createScriptedProvider({
      rules: [{ when: /slow/, reply: { content: 'Answer: slow\nConfidence: 0.1', delayMs: 30 } }],
      fallback: 'Answer: fast\nConfidence: 0.2',
    });
    const program = predict(qa);
    const [slow, fast] = await Promise.all([
      program.run({ question: 'slow one' }, { ai }),
      program.run({ question: 'fast one' }, { ai }),
    ]);
    expect(slow.outputs.answer).toBe('slow');
    expect(fast.outputs.answer).toBe('fast');
    expect(slow.trace.steps).toHaveLength(1);
    expect(fast.trace.steps).toHaveLength(1);
  });
});

describe('predict with structured-output providers', () => {
  it('treats null for an optional field (how JSON-schema modes send "absent") as missing, at any depth', async () => {
    const sig = defineSignature({
      name: 'optional-nulls',
      version: '1.0.0',
      signature:
        'question:string -> answer:string, note?:string, items:object{ label:string, detail?:string }[]',
    });
    const ai = createScriptedProvider({
      replies: [
        '{"answer":"a","note":null,"items":[{"label":"x","detail":null},{"label":"y","detail":"d"}]}',
      ],
    });
    const result = await predict(sig).run({ question: 'q' }, { ai });
    expect(result.outputs).toEqual({ answer: 'a', items: [{ label: 'x' }, { label: 'y', detail: 'd' }] });
  });
});
