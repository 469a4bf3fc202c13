/**
 * Checkpoints inside a pipeline step: a ReAct step's model replies and tool results are recorded as
 * they happen, so a resumed run replays them (no model call, no tool call) and continues from the
 * first call that was never answered; a tool that is not idempotent is never run twice silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SignetError } from '../../src/errors/signet-error.ts';
import { defineSignature, defineTool, react, refine } from '../../src/index.ts';
import { definePipeline, durable } from '../../src/pipeline/index.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { createScriptedProvider, type RecordedCall } from '../../src/testing/index.ts';

const ask = defineSignature({
  name: 'support-action',
  version: '1.0.0',
  signature: 'customerRequest:string -> answer:string',
});

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-step-checkpoints-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Tools that count their calls; `send` can be made to hang (a process dying in the middle of it). */
function tools(hangSend = false) {
  const counts = { lookup: 0, send: 0 };
  const lookup = defineTool({
    name: 'lookupOrder',
    description: 'Reads an order',
    parameters: z.object({ id: z.string() }),
    idempotent: true,
    handler: ({ id }) => {
      counts.lookup++;
      return { id, status: 'shipped' };
    },
  });
  const send = defineTool({
    name: 'sendEmail',
    description: 'Emails the customer',
    parameters: z.object({ text: z.string() }),
    handler: async (_args, { signal }) => {
      counts.send++;
      if (hangSend)
        await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      return { sent: true };
    },
  });
  return { counts, tools: [lookup, send] };
}

/** A model that looks the order up, then emails, then answers; fails (a crash) on the call `failAt`. */
function agentModel(failAt?: 'email' | 'answer') {
  const said = (call: RecordedCall) => call.messages.map((m) => m.content).join('\n');
  return createScriptedProvider({
    fallback: (call) => {
      const history = said(call);
      if (!history.includes('shipped')) return { toolCalls: [{ name: 'lookupOrder', args: { id: 'A1' } }] };
      if (!history.includes('"sent"')) {
        if (failAt === 'email') return { error: new Error('the process died') };
        return { toolCalls: [{ name: 'sendEmail', args: { text: 'Your order shipped.' } }] };
      }
      if (failAt === 'answer') return { error: new Error('the process died') };
      return { content: 'Answer: Order A1 shipped; the customer was emailed.' };
    },
  });
}

const pipelineOf = (agentTools: ReturnType<typeof tools>['tools']) =>
  definePipeline<{ request: string }>({ name: 'support-agent', version: '1.0.0' })
    .step('act', react(ask, { tools: agentTools, maxSteps: 5 }), (s) => ({
      customerRequest: s.input.request,
    }))
    .returns((s) => s.act);

describe('checkpoints inside a step', () => {
  it('replays recorded model replies and tool results, and continues from the first call not answered', async () => {
    const first = tools();
    const crashing = agentModel('answer');
    await expect(
      pipelineOf(first.tools).run({ request: 'where is A1?' }, { ai: crashing, store, runId: 'r1' }),
    ).rejects.toThrow();
    expect(first.counts).toEqual({ lookup: 1, send: 1 });
    expect(crashing.calls).toHaveLength(3);

    const second = tools();
    const model = agentModel();
    const result = await pipelineOf(second.tools).run(
      { request: 'where is A1?' },
      { ai: model, store, runId: 'r1' },
    );
    expect(result.outputs.answer).toBe('Order A1 shipped; the customer was emailed.');
    expect(second.counts).toEqual({ lookup: 0, send: 0 });
    expect(model.calls).toHaveLength(1);
  });

  it('fails the resume with SIGNET_RUN_STEP_UNCERTAIN when a non-idempotent tool started but was never recorded', async () => {
    const first = tools(true);
    const controller = new AbortController();
    const running = pipelineOf(first.tools).run(
      { request: 'where is A1?' },
      { ai: agentModel(), store, runId: 'r2', signal: controller.signal },
    );
    while (first.counts.send === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('killed'));
    await expect(running).rejects.toThrow();

    const again = tools();
    const refused = await pipelineOf(again.tools)
      .run({ request: 'where is A1?' }, { ai: agentModel(), store, runId: 'r2' })
      .catch((error: unknown) => error);
    expect(SignetError.is(refused) && refused.code).toBe('SIGNET_RUN_STEP_UNCERTAIN');
    expect((refused as Error).message).toContain('tool sendEmail');
    expect(again.counts).toEqual({ lookup: 0, send: 0 });

    const allowed = await pipelineOf(again.tools).run(
      { request: 'where is A1?' },
      { ai: agentModel(), store, runId: 'r2', allowUncertainSteps: true },
    );
    expect(allowed.outputs.answer).toContain('shipped');
    expect(again.counts).toEqual({ lookup: 0, send: 1 });
  });

  it('records refine critiques, so a resumed refine asks neither the model nor its critic again', async () => {
    let critiques = 0;
    const refined = refine(ask, {
      maxIterations: 3,
      validators: [({ answer }) => (answer.includes('v2') ? undefined : 'say v2')],
      critics: [
        () => {
          critiques++;
          return 'mention the version';
        },
      ],
    });
    const pipeline = definePipeline<{ request: string }>({ name: 'refined', version: '1.0.0' })
      .step('answer', refined, (s) => ({ customerRequest: s.input.request }))
      .returns((s) => s.answer);
    const crashing = createScriptedProvider({
      replies: ['Answer: v1', { error: new Error('the process died') }],
    });
    await expect(pipeline.run({ request: 'x' }, { ai: crashing, store, runId: 'r3' })).rejects.toThrow();
    expect(critiques).toBe(1);
    const model = createScriptedProvider({ replies: ['Answer: v2'] });
    const result = await pipeline.run({ request: 'x' }, { ai: model, store, runId: 'r3' });
    expect(result.outputs.answer).toBe('v2');
    expect(critiques).toBe(1);
    expect(model.calls).toHaveLength(1);
  });

  it('makes one program a durable run with durable(): its tool calls are not repeated on resume', async () => {
    const first = tools();
    const program = durable(react(ask, { tools: first.tools }));
    expect(program.id).toBe('support-action@1.0.0');
    await expect(
      program.run({ customerRequest: 'where is A1?' }, { ai: agentModel('answer'), store, runId: 'd1' }),
    ).rejects.toThrow();
    const model = agentModel();
    const result = await program.run({ customerRequest: 'where is A1?' }, { ai: model, store, runId: 'd1' });
    expect(result.outputs.answer).toContain('shipped');
    expect(first.counts).toEqual({ lookup: 1, send: 1 });
    expect(model.calls).toHaveLength(1);
  });

  it('records a tool failure as the model was told it, so a resume neither calls it again nor calls it uncertain', async () => {
    let sends = 0;
    const failingSend = defineTool({
      name: 'sendEmail',
      description: 'Emails the customer',
      parameters: z.object({ text: z.string() }),
      handler: () => {
        sends++;
        throw new Error('mailbox full');
      },
    });
    const lookup = tools().tools[0] as typeof failingSend;
    const model = createScriptedProvider({
      fallback: (call) => {
        const history = call.messages.map((m) => m.content).join('\n');
        if (!history.includes('shipped')) return { toolCalls: [{ name: 'lookupOrder', args: { id: 'A1' } }] };
        if (!history.includes('mailbox full'))
          return { toolCalls: [{ name: 'sendEmail', args: { text: 'x' } }] };
        return failingAnswer
          ? { error: new Error('the process died') }
          : { content: 'Answer: could not email' };
      },
    });
    let failingAnswer = true;
    const pipeline = pipelineOf([lookup, failingSend]);
    await expect(pipeline.run({ request: 'r' }, { ai: model, store, runId: 'f1' })).rejects.toThrow();
    failingAnswer = false;
    const result = await pipeline.run({ request: 'r' }, { ai: model, store, runId: 'f1' });
    expect(result.outputs.answer).toBe('could not email');
    expect(sends).toBe(1);
  });
});
