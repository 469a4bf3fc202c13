/** The exact response cache through `npm start`'s server, on its embedded store, over a real socket. */
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, type ServedUpstream, servedKinds, serveUpstream } from './served-upstreams.ts';

const openai = servedKinds[0];
if (openai === undefined) throw new Error('no openai kind');
const body = (config: Record<string, unknown>) => ({
  signature: 'answer-question',
  inputs: { question: 'What is the capital of France?' },
  config,
});

let served: ServedUpstream | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('exact response cache over HTTP', () => {
  it('answers a repeated temperature-0 execute from the cache, saying so', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute`;
    const first = await postJson(url, body({ temperature: 0 }));
    const again = await postJson(url, body({ temperature: 0 }));
    expect(first.headers.get('x-signet-cache')).toBe('miss');
    expect(again.headers.get('x-signet-cache')).toBe('hit');
    const firstBody = JSON.parse(first.text) as { requestId: string };
    expect(JSON.parse(again.text)).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      provider: 'cloud-openai',
      usage: { totalTokens: 0 },
      attempts: 0,
      cached: { requestId: firstBody.requestId },
    });
    expect(served.fake.stats().chatRequests).toBe(1);
  });

  it('bypasses the cache when the request says off, or the temperature is not 0', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body({ temperature: 0 }));
    const off = await postJson(url, body({ temperature: 0, cache: 'off' }));
    const warm = await postJson(url, body({ temperature: 0.7 }));
    expect(JSON.parse(off.text).cached).toBeUndefined();
    expect(JSON.parse(warm.text).cached).toBeUndefined();
    expect(served.fake.stats().chatRequests).toBe(3);
  });

  it('has no cache with SIGNET_CACHE=off', async () => {
    served = await serveUpstream(openai, {}, { SIGNET_CACHE: 'off' });
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body({ temperature: 0 }));
    const again = await postJson(url, body({ temperature: 0, cache: 'on' }));
    expect(JSON.parse(again.text).cached).toBeUndefined();
    expect(served.fake.stats().chatRequests).toBe(2);
  });

  it('rejects an unknown cache mode with a 400', async () => {
    served = await serveUpstream(openai);
    const response = await postJson(`${served.origin}/api/v1/dspy/execute`, body({ cache: 'sometimes' }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'SIGNET_REQUEST_INVALID' } });
  });
});
