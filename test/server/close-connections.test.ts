import { connect, type Socket } from 'node:net';
import { type AxChatResponse, AxMockAIService } from '@ax-llm/ax';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { listen, PARIS, resolverFor, scripted, testApp } from './helpers.ts';

let app: SignetApp | undefined;

afterEach(async () => {
  // A failed test must not hang the teardown as well.
  app?.server.closeAllConnections();
  await app?.close();
  app = undefined;
});

/** Resolves with how the close went within `ms`. */
async function closeWithin(target: SignetApp, ms: number): Promise<'closed' | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still open'>((resolve) => {
    timer = setTimeout(() => resolve('still open'), ms);
  });
  const result = await Promise.race([target.close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  return result;
}

/** A streaming provider that sends one chunk, then stalls until its call is aborted. */
function stallingProvider() {
  let sawAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    sawAbort = resolve;
  });
  const ai = new AxMockAIService<string>({
    name: 'staller',
    modelInfo: { name: 'stall-model' },
    features: { functions: false, streaming: true },
    chatResponse: async (_request, options) => {
      const signal = options?.abortSignal;
      let sent = false;
      return new ReadableStream<AxChatResponse>({
        pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue({ results: [{ index: 0, content: 'Answer: Par' }] });
            return;
          }
          return new Promise<void>((resolve) => {
            signal?.addEventListener('abort', () => {
              sawAbort();
              controller.error(signal.reason);
              resolve();
            });
          });
        },
        cancel: () => sawAbort(),
      });
    },
  });
  return { ai, aborted };
}

const streamingRoutes = [
  {
    path: '/api/v1/dspy/execute/stream',
    body: { signature: 'answer-question', inputs: { question: 'Capital of France?' } },
  },
  {
    path: '/v1/chat/completions',
    body: { model: 'stall-model', stream: true, messages: [{ role: 'user', content: 'Hi' }] },
  },
];

describe('app.close()', () => {
  it.each(streamingRoutes)('resolves promptly after a client aborts $path mid-stream', async (route) => {
    const { ai, aborted } = stallingProvider();
    app = await testApp({ providers: resolverFor({ provider: 'staller', model: 'stall-model', ai }) });
    const base = await listen(app);
    const client = new AbortController();
    const response = await fetch(`${base}${route.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(route.body),
      signal: client.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await response.body?.getReader().read();
    client.abort();
    await aborted;
    expect(await closeWithin(app, 2_000)).toBe('closed');
  });

  it('closes a connection that has not sent a request yet', async () => {
    app = await testApp();
    const { port } = new URL(await listen(app));
    const accepted = new Promise((resolve) => app?.server.once('connection', resolve));
    const socket: Socket = connect(Number(port), '127.0.0.1');
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    await accepted;
    expect(await closeWithin(app, 2_000)).toBe('closed');
    await socketClosed;
  });

  it('closes a connection to the separate metrics port that has not sent a request yet', async () => {
    app = await testApp({ metrics: { separatePort: 0 } });
    await listen(app);
    const metrics = app.signet;
    await expect.poll(() => metrics.metricsAddress()).toBeDefined(); // it starts listening after the app
    const socket = connect(metrics.metricsAddress()?.port ?? 0, '127.0.0.1');
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server accept it
    expect(await closeWithin(app, 2_000)).toBe('closed');
    await socketClosed;
  });

  it('lets an in-flight request finish, then closes its keep-alive connection', async () => {
    const ai = scripted({ fallback: () => ({ content: PARIS, delayMs: 300 }) });
    app = await testApp({ ai });
    const base = await listen(app);
    const pending = fetch(`${base}/api/v1/dspy/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature: 'answer-question', inputs: { question: 'Capital of France?' } }),
    });
    await expect.poll(() => ai.calls.length).toBe(1);
    const closing = closeWithin(app, 2_000);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { outputs: unknown }).outputs).toEqual({
      answer: 'Paris',
      confidence: 0.9,
    });
    expect(await closing).toBe('closed');
  });
});
