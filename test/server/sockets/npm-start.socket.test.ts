/**
 * The compiled server in its own process, as `npm start` runs it (the bench's chaos suite starts it the
 * same way), against a fake OpenAI upstream: the cloud path end to end, with nothing in-process shared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer, startServerProcess } from '../../../bench/suites/started-server.ts';
import { type FakeUpstream, startFakeUpstream } from '../../../src/testing/index.ts';
import { parseSse } from '../helpers.ts';
import { postJson } from './served-upstreams.ts';

describe('npm start in front of a cloud API', () => {
  let fake: FakeUpstream;
  let server: StartedServer;

  beforeAll(async () => {
    fake = await startFakeUpstream({ kind: 'openai', chunkDelayMs: 2 });
    server = await startServerProcess({ ...fake.env }, AbortSignal.timeout(110_000));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('answers execute and names the deployment that answered', async () => {
    const response = await postJson(`${server.origin}/api/v1/dspy/execute`, {
      signature: 'answer-question',
      inputs: { question: 'What is the capital of France?' },
    });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      provider: 'cloud-openai',
      model: 'gpt-4o-mini',
      usage: { promptTokens: 42, completionTokens: 7, totalTokens: 49 },
    });
  });

  it('streams /v1/chat/completions', async () => {
    const response = await postJson(`${server.origin}/v1/chat/completions`, {
      model: 'cloud-openai',
      stream: true,
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    });
    expect(response.status).toBe(200);
    expect(parseSse(response.text).at(-1)?.data).toBe('[DONE]');
    expect(fake.requests.at(-1)?.streamed).toBe(true);
  });
});
