import { afterEach, describe, expect, it } from 'vitest';
import { SignetError } from '../../../src/errors/index.ts';
import { createOllamaProvider } from '../../../src/providers/ollama/index.ts';
import {
  json,
  type OllamaReplayServer,
  ollamaFixture,
  type ReplayReply,
  startOllamaReplayServer,
  unusedLocalUrl,
} from '../../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function providerAnswering(reply: ReplayReply, path = '/api/chat') {
  server = await startOllamaReplayServer([{ method: 'POST', path, reply }]);
  return { server, ai: createOllamaProvider({ host: server.url, model: 'llama3.2:3b' }) };
}

async function rejection(promise: Promise<unknown>): Promise<SignetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SignetError.is(error)) throw new Error(`expected a SignetError, got ${String(error)}`);
  return error;
}

const chatPrompt = [{ role: 'user' as const, content: 'Question: What is the capital of France?' }];

describe('Ollama provider errors', () => {
  it('maps 404 model not found to SIGNET_MODEL_NOT_FOUND with an ollama pull hint', async () => {
    const { ai } = await providerAnswering(json(ollamaFixture('error-model-not-found.json'), 404));
    const error = await rejection(ai.chat({ chatPrompt }));
    expect(error).toMatchObject({ code: 'SIGNET_MODEL_NOT_FOUND', statusCode: 404, retryable: false });
    expect(error.message).toContain('model "llama3.2:3b" not found, try pulling it first');
    expect(error.message).toContain('ollama pull llama3.2:3b');
  });

  it('maps a 500 to a retryable SIGNET_PROVIDER_ERROR and does not retry it itself', async () => {
    const { ai, server } = await providerAnswering(json(ollamaFixture('error-runner-terminated.json'), 500));
    const error = await rejection(ai.chat({ chatPrompt }));
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_ERROR', retryable: true });
    expect(error.message).toContain('llama runner process has terminated');
    expect(error.details).toMatchObject({ provider: 'ollama', upstreamStatus: 500 });
    expect(server.requests).toHaveLength(1);
    expect(ai.getMetrics().errors.chat).toMatchObject({ count: 1, total: 1 });
  });

  it('maps a refused connection to SIGNET_PROVIDER_UNAVAILABLE saying how to start Ollama', async () => {
    const host = await unusedLocalUrl();
    const ai = createOllamaProvider({ host, model: 'llama3.2:3b' });
    const error = await rejection(ai.chat({ chatPrompt }));
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_UNAVAILABLE', retryable: true });
    expect(error.message).toContain(host);
    expect(error.message).toContain('start Ollama with `ollama serve` or set OLLAMA_HOST');
    await expect(ai.embed({ texts: ['hello'] })).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_UNAVAILABLE',
    });
  });

  it('rejects a hung request when the caller times out, and closes its connection', async () => {
    const { ai, server } = await providerAnswering({ kind: 'hang' });
    const error = await rejection(ai.chat({ chatPrompt }, { abortSignal: AbortSignal.timeout(100) }));
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_TIMEOUT', retryable: true });
    await server.clientDisconnects(1);
  });

  it('rejects with SIGNET_ABORTED when the caller aborts a hung request', async () => {
    const { ai, server } = await providerAnswering({ kind: 'hang' });
    const controller = new AbortController();
    const pending = rejection(ai.chat({ chatPrompt }, { abortSignal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(pending).resolves.toMatchObject({ code: 'SIGNET_ABORTED', retryable: false });
    await server.clientDisconnects(1);
    expect(ai.getMetrics().errors.chat.count).toBe(0);
  });

  it("honours Ax's per-call timeout option", async () => {
    const { ai } = await providerAnswering({ kind: 'hang' });
    await expect(ai.chat({ chatPrompt }, { timeout: 50 })).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_TIMEOUT',
    });
  });

  it('aborts a hung embedding request too', async () => {
    const { ai, server } = await providerAnswering({ kind: 'hang' }, '/api/embed');
    const error = await rejection(ai.embed({ texts: ['hello'] }, { abortSignal: AbortSignal.timeout(100) }));
    expect(error.code).toBe('SIGNET_PROVIDER_TIMEOUT');
    await server.clientDisconnects(1);
  });

  it('fails fast without a request for a caller signal that is already aborted', async () => {
    const { ai, server } = await providerAnswering(json(ollamaFixture('chat-answer-paris.json')));
    const error = await rejection(ai.chat({ chatPrompt }, { abortSignal: AbortSignal.abort() }));
    expect(error.code).toBe('SIGNET_ABORTED');
    expect(server.requests).toHaveLength(0);
  });

  it('close() aborts in-flight requests and rejects later ones as unavailable', async () => {
    const { ai, server } = await providerAnswering({ kind: 'hang' });
    const pending = rejection(ai.chat({ chatPrompt }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await ai.close?.();
    await expect(pending).resolves.toMatchObject({ code: 'SIGNET_PROVIDER_UNAVAILABLE' });
    await expect(ai.chat({ chatPrompt })).rejects.toMatchObject({ code: 'SIGNET_PROVIDER_UNAVAILABLE' });
    await server.clientDisconnects(1);
  });

  it('rejects content Ollama cannot take before sending anything', async () => {
    const { ai, server } = await providerAnswering(json(ollamaFixture('chat-answer-paris.json')));
    const error = await rejection(
      ai.chat({
        chatPrompt: [{ role: 'user', content: [{ type: 'audio', data: 'UklGRg==', format: 'wav' }] }],
      }),
    );
    expect(error.code).toBe('SIGNET_PROVIDER_REJECTED');
    expect(error.message).toContain('transcription');
    expect(server.requests).toHaveLength(0);
  });
});
