import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedLoopLoad } from '../../bench/lib/closed-loop-load.ts';
import { createJsonPoster } from '../../bench/lib/json-poster.ts';

/** A loopback server: `/ok` echoes the body's length as JSON, `/limited` answers 429 every third request. */
let server: Server;
let origin = '';
const bodies: string[] = [];
let connections = 0;

beforeAll(async () => {
  let count = 0;
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(body);
      const limited = request.url === '/limited' && ++count % 3 === 0;
      response.writeHead(limited ? 429 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ length: body.length }));
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('runClosedLoopLoad', () => {
  it('posts the JSON body and keeps one latency per response', async () => {
    bodies.length = 0;
    const result = await runClosedLoopLoad({
      url: `${origin}/ok`,
      body: '{"question":"q"}',
      connections: 4,
      amount: 40,
      signal: new AbortController().signal,
    });
    expect(result.responses).toBe(40);
    expect(result.latenciesMs).toHaveLength(40);
    expect(result.latenciesMs.every((ms) => ms >= 0)).toBe(true);
    expect(result.wallMs).toBeGreaterThan(0);
    expect(new Set(bodies)).toEqual(new Set(['{"question":"q"}']));
  });

  it('fails the run when any answer is not 2xx, naming the status', async () => {
    await expect(
      runClosedLoopLoad({
        url: `${origin}/limited`,
        body: '{}',
        connections: 2,
        amount: 12,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/non-2xx responses \(first status 429\)/);
  });

  it('refuses to start under an aborted signal', () => {
    expect(() =>
      runClosedLoopLoad({
        url: `${origin}/ok`,
        body: '{}',
        connections: 1,
        amount: 1,
        signal: AbortSignal.abort(new Error('stopped')),
      }),
    ).toThrow('stopped');
  });
});

describe('createJsonPoster', () => {
  it('sends the body as JSON over a reused connection and resolves with the latency', async () => {
    bodies.length = 0;
    const before = connections;
    const poster = createJsonPoster(`${origin}/ok`, '{"a":1}');
    try {
      const first = await poster.post();
      const second = await poster.post();
      expect(first).toBeGreaterThanOrEqual(0);
      expect(second).toBeGreaterThanOrEqual(0);
      expect(bodies).toEqual(['{"a":1}', '{"a":1}']);
      expect(connections - before).toBe(1);
    } finally {
      poster.close();
    }
  });

  it('rejects a non-2xx answer with its status', async () => {
    const poster = createJsonPoster(`${origin}/limited`, '{}');
    try {
      const outcomes = await Promise.allSettled([poster.post(), poster.post(), poster.post(), poster.post()]);
      const failures = outcomes.filter((o) => o.status === 'rejected');
      expect(failures.length).toBeGreaterThan(0);
      expect(String((failures[0] as PromiseRejectedResult).reason)).toMatch(/answered 429/);
    } finally {
      poster.close();
    }
  });
});
