import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { SignetError } from '../../src/index.ts';
import { listen, PARIS, parseSse, resolverFor, scripted, streamingProvider, testApp } from './helpers.ts';

let app: SignetApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function postStream(base: string, body: unknown): Promise<Response> {
  return fetch(`${base}/api/v1/dspy/execute/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('POST /api/v1/dspy/execute/stream', () => {
  it('streams start, the outputs as a partial, then a final event with the execute body', async () => {
    app = await testApp();
    const base = await listen(app);
    const response = await postStream(base, {
      signature: 'answer-question',
      inputs: { question: 'Capital?' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['start', 'partial', 'final']);
    expect(JSON.parse(events[0]?.data ?? '')).toMatchObject({
      signature: 'answer-question@1.0.0',
      program: 'predict',
      provider: 'scripted',
    });
    expect(JSON.parse(events[1]?.data ?? '')).toEqual({ delta: { answer: 'Paris', confidence: 0.9 } });
    const final = JSON.parse(events[2]?.data ?? '');
    expect(final).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      attempts: 1,
      model: 'scripted-model',
    });
    expect(final.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('streams output fields as the provider produces them', async () => {
    const ai = streamingProvider(['Answer: The capital ', 'is Pa', 'ris\nConfidence: 0.9']);
    app = await testApp({ providers: resolverFor({ provider: 'streamer', model: 'stream-model', ai }) });
    const base = await listen(app);
    const response = await postStream(base, {
      signature: 'answer-question',
      inputs: { question: 'Capital?' },
    });
    const events = parseSse(await response.text());
    const partials = events.filter((e) => e.event === 'partial').map((e) => JSON.parse(e.data).delta);
    expect(partials.length).toBeGreaterThan(1);
    const answer = partials.map((delta: { answer?: string }) => delta.answer ?? '').join('');
    expect(answer).toBe('The capital is Paris');
    expect(events.at(-1)?.event).toBe('final');
    expect(JSON.parse(events.at(-1)?.data ?? '').outputs).toEqual({
      answer: 'The capital is Paris',
      confidence: 0.9,
    });
  });

  it('ends with an in-band error event (never a final) when the provider fails mid-stream', async () => {
    app = await testApp({
      ai: scripted({ fallback: { error: new SignetError('SIGNET_PROVIDER_ERROR', 'upstream exploded') } }),
    });
    const base = await listen(app);
    const response = await postStream(base, {
      signature: 'answer-question',
      inputs: { question: 'Capital?' },
    });
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['start', 'error']);
    const { error } = JSON.parse(events[1]?.data ?? '');
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_ERROR', retryable: true });
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('reports failures known before the stream opens as plain JSON errors with a status', async () => {
    app = await testApp();
    const base = await listen(app);
    const response = await postStream(base, { signature: 'answer-question', inputs: { wrong: 1 } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SIGNET_INPUT_INVALID');
  });

  it('aborts the provider call when the client disconnects', async () => {
    let aborted = false;
    const ai = scripted({
      fallback: () => ({ content: PARIS, delayMs: 10_000 }),
    });
    const chat = ai.chat.bind(ai);
    ai.chat = async (req, options) => {
      options?.abortSignal?.addEventListener('abort', () => {
        aborted = true;
      });
      return chat(req, options);
    };
    app = await testApp({ ai });
    const base = await listen(app);
    // A real disconnect: read the first event, then destroy the socket.
    const { port } = new URL(base);
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/dspy/execute/stream' },
        (response) => {
          response.once('data', () => {
            request.destroy();
            resolve();
          });
        },
      );
      request.on('error', (error) => {
        if (!request.destroyed) reject(error);
      });
      request.setHeader('content-type', 'application/json');
      request.end(JSON.stringify({ signature: 'answer-question', inputs: { question: 'x' } }));
    });
    await expect.poll(() => aborted, { timeout: 5_000 }).toBe(true);
  });
});

describe('POST /api/v1/dspy/execute/batch', () => {
  it('returns per-item results and errors in request order', async () => {
    const ai = scripted({
      rules: [
        { when: /boom/, reply: { error: new SignetError('SIGNET_PROVIDER_ERROR', 'upstream failed') } },
      ],
    });
    app = await testApp({ ai });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute/batch',
      payload: {
        signature: 'answer-question',
        concurrency: 2,
        items: [
          { inputs: { question: 'Capital of France?' } },
          { inputs: { question: 7 } },
          { inputs: { question: 'boom' } },
          { inputs: { question: 'Capital again?' } },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ succeeded: 2, failed: 2 });
    expect(body.results.map((r: { index: number; ok: boolean }) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(body.results[0].outputs).toEqual({ answer: 'Paris', confidence: 0.9 });
    expect(body.results[1].error).toMatchObject({
      code: 'SIGNET_INPUT_INVALID',
      issues: [{ path: ['question'] }],
    });
    expect(body.results[2].error).toMatchObject({ code: 'SIGNET_PROVIDER_ERROR', retryable: true });
  });

  it('never runs more items at once than the requested concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const ai = scripted({ fallback: { content: PARIS, delayMs: 20 } });
    const chat = ai.chat.bind(ai);
    ai.chat = async (req, options) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await chat(req, options);
      } finally {
        inFlight--;
      }
    };
    app = await testApp({ ai });
    const items = Array.from({ length: 9 }, (_, i) => ({ inputs: { question: `q${i}` } }));
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute/batch',
      payload: { signature: 'answer-question', concurrency: 3, items },
    });
    expect(response.json().succeeded).toBe(9);
    expect(peak).toBe(3);
  });

  it('rejects batches over the item and concurrency caps', async () => {
    app = await testApp();
    const items = Array.from({ length: 101 }, () => ({ inputs: { question: 'x' } }));
    const tooMany = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute/batch',
      payload: { signature: 'answer-question', items },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.issues[0].path).toEqual(['items']);
    const tooWide = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute/batch',
      payload: { signature: 'answer-question', items: items.slice(0, 2), concurrency: 9 },
    });
    expect(tooWide.statusCode).toBe(400);
  });
});
