import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputParseError, type SignetError } from '../../src/errors/index.ts';
import { predict } from '../../src/program/index.ts';
import { createRouter, describeRoute, runWithEscalation } from '../../src/router/index.ts';
import { defineSignature } from '../../src/signature/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { createStreamingProvider, failure } from '../helpers/router-fakes.ts';

const qa = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string -> answer:string, confidence:number(min 0, max 1)',
});

describe('programs on the router', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs predict through the router; the trace names the deployment that answered', async () => {
    const primary = createScriptedProvider({
      name: 'primary',
      fallback: { error: failure('SIGNET_PROVIDER_AUTH') },
    });
    const backup = createScriptedProvider({ name: 'backup', fallback: 'Answer: Paris\nConfidence: 0.9' });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai: primary },
        { id: 'backup', ai: backup, model: 'big' },
      ],
    });
    const ai = router.recording();
    const result = await predict(qa).run({ question: 'Capital of France?' }, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris', confidence: 0.9 });
    expect(result.trace).toMatchObject({ provider: 'backup', model: 'big', attempts: 1 });
    expect(backup.calls[0]?.model).toBe('big');
    expect(ai.routes.map(describeRoute)).toEqual(['primary:auth → backup:ok']);
    expect(result.trace.steps[0]).toMatchObject({ type: 'llm', route: 'primary:auth → backup:ok' });
  });

  it('falls back from a hanging primary during a run', async () => {
    const primary = createStreamingProvider({
      name: 'primary',
      openDelayMs: 3_600_000,
      steps: [{ text: 'x' }],
    });
    const backup = createScriptedProvider({ name: 'backup', fallback: 'Answer: Paris\nConfidence: 0.5' });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai: primary, policy: { timeoutMs: 5_000, retry: { maxRetries: 0 } } },
        { id: 'backup', ai: backup },
      ],
    });
    const ai = router.recording();
    const pending = predict(qa).run({ question: 'Capital?' }, { ai });
    await vi.advanceTimersByTimeAsync(5_000);
    const result = await pending;
    expect(result.trace.provider).toBe('backup');
    expect(ai.routes.map(describeRoute)).toEqual(['primary:timeout → backup:ok']);
  });

  it('surfaces the router error code when every deployment fails', async () => {
    const router = createRouter({
      deployments: [
        { id: 'only', ai: createScriptedProvider({ fallback: { error: failure('SIGNET_PROVIDER_QUOTA') } }) },
      ],
    });
    const error = (await predict(qa)
      .run({ question: 'q' }, { ai: router })
      .catch((e: unknown) => e)) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_QUOTA');
  });
});

describe('runWithEscalation', () => {
  it('moves to the next deployment when the output fails the signature after the re-asks', async () => {
    const small = createScriptedProvider({ name: 'small', fallback: 'Answer: Paris\nConfidence: 7' });
    const large = createScriptedProvider({ name: 'large', fallback: 'Answer: Paris\nConfidence: 0.8' });
    const router = createRouter({
      deployments: [
        { id: 'small', ai: small },
        { id: 'large', ai: large },
      ],
    });
    const result = await runWithEscalation(predict(qa), { question: 'Capital?' }, { router, maxRetries: 1 });
    expect(result.outputs.confidence).toBe(0.8);
    expect(result.deployment).toBe('large');
    expect(result.trace.provider).toBe('large');
    expect(small.calls).toHaveLength(2);
    expect(result.escalations).toEqual([
      expect.objectContaining({
        from: 'small',
        to: 'large',
        reason: 'output-invalid',
        code: 'SIGNET_OUTPUT_INVALID',
      }),
    ]);
    expect(result.routes.map(describeRoute)).toEqual(['small:ok', 'small:ok', 'large:ok']);
  });

  it('does not escalate when the first deployment answers validly', async () => {
    const router = createRouter({
      deployments: [
        { id: 'small', ai: createScriptedProvider({ fallback: 'Answer: Paris\nConfidence: 0.6' }) },
        { id: 'large', ai: createScriptedProvider() },
      ],
    });
    const result = await runWithEscalation(predict(qa), { question: 'Capital?' }, { router });
    expect(result).toMatchObject({ deployment: 'small', escalations: [] });
  });

  it('escalates past a deployment that fails and throws the last error when all fail', async () => {
    const router = createRouter({
      deployments: [
        { id: 'down', ai: createScriptedProvider({ fallback: { error: failure('SIGNET_PROVIDER_AUTH') } }) },
        { id: 'weak', ai: createScriptedProvider({ fallback: 'Answer: ?\nConfidence: high' }) },
      ],
    });
    const error = await runWithEscalation(predict(qa), { question: 'q' }, { router, maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputParseError);
  });

  it('throws terminal failures without escalating', async () => {
    const later = createScriptedProvider({ fallback: 'Answer: x\nConfidence: 0.5' });
    const router = createRouter({
      deployments: [
        {
          id: 'strict',
          ai: createScriptedProvider({ fallback: { error: failure('SIGNET_PROVIDER_REJECTED') } }),
        },
        { id: 'later', ai: later },
      ],
    });
    const error = (await runWithEscalation(predict(qa), { question: 'q' }, { router }).catch(
      (e: unknown) => e,
    )) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_REJECTED');
    expect(later.calls).toHaveLength(0);
  });
});
