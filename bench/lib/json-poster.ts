import { Agent, request } from 'node:http';

/** Posts a JSON body (fixed, or made per request) over keep-alive connections and times each exchange. */
export interface JsonPoster {
  /** Sends the body; resolves with the latency in ms (request start to last response byte), rejects on a non-2xx. */
  post(): Promise<number>;
  /** Closes the pooled connections. */
  close(): void;
}

const TIMEOUT_MS = 10_000;

/**
 * A small HTTP client for paced loads: node:http with a keep-alive pool (`maxSockets` connections at
 * most), so each request costs the client little and reuses a warm connection.
 */
export function createJsonPoster(url: string, body: string | (() => string), maxSockets = 256): JsonPoster {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const fixed = typeof body === 'string' ? Buffer.from(body) : undefined;
  return {
    post: () =>
      new Promise<number>((resolve, reject) => {
        const payload = fixed ?? Buffer.from((body as () => string)());
        const headers = { 'content-type': 'application/json', 'content-length': String(payload.length) };
        const started = performance.now();
        const req = request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: `${target.pathname}${target.search}`,
            method: 'POST',
            headers,
          },
          (res) => {
            res.resume();
            res.once('error', reject);
            res.once('end', () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) resolve(performance.now() - started);
              else reject(new Error(`${url} answered ${status}`));
            });
          },
        );
        req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`${url} did not answer in ${TIMEOUT_MS} ms`)));
        req.once('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
