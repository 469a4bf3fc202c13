import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/ollama/', import.meta.url));

/** A recorded Ollama response body from test/fixtures/ollama. */
export function ollamaFixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

/** What the server answers a route with. */
export type ReplayReply =
  /** A JSON body (a fixture's text or a value) with a status, as Ollama sends it. */
  | { readonly kind: 'json'; readonly status?: number; readonly body: string | object }
  /** `application/x-ndjson`, one line per write, with a pause between lines (default 5 ms). */
  | { readonly kind: 'ndjson'; readonly body: string; readonly delayMs?: number }
  /** Headers never sent, connection left open: a server stuck loading a model. */
  | { readonly kind: 'hang' };

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Parsed JSON body (undefined for GET). */
  readonly body: unknown;
}

/** A route: method + path, and the reply (or a function of the request choosing it). */
export interface ReplayRoute {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  readonly path: string;
  readonly reply: ReplayReply | ((request: RecordedRequest) => ReplayReply);
}

/** A local HTTP server replaying recorded Ollama wire responses. */
export interface OllamaReplayServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** The JSON body of request `index` (default the first); throws when there is no such request. */
  bodyOf(index?: number): Readonly<Record<string, unknown>>;
  /** Resolves once `count` connections were closed by the client before the reply ended. */
  clientDisconnects(count?: number): Promise<void>;
  /** Stops listening and destroys open connections (including hung ones). */
  close(): Promise<void>;
}

/** JSON reply helper: `json(ollamaFixture('tags.json'))`, `json({ error: '...' }, 500)`. */
export function json(body: string | object, status = 200): ReplayReply {
  return { kind: 'json', status, body };
}

/** NDJSON stream reply helper. */
export function ndjson(body: string, delayMs = 5): ReplayReply {
  return { kind: 'ndjson', body, delayMs };
}

/**
 * Starts a server on 127.0.0.1 port 0. Unknown routes answer 404 `404 page not found` in text, like
 * Ollama's router does.
 */
export async function startOllamaReplayServer(routes: readonly ReplayRoute[]): Promise<OllamaReplayServer> {
  const requests: RecordedRequest[] = [];
  let disconnects = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const noteDisconnect = () => {
    disconnects++;
    for (const waiter of waiters.filter((w) => w.count <= disconnects)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) noteDisconnect();
    });
    const route = routes.find((r) => r.method === recorded.method && r.path === path);
    if (route === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
      return;
    }
    const reply = typeof route.reply === 'function' ? route.reply(recorded) : route.reply;
    await send(reply, res);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodyOf: (index = 0) => {
      const body = requests[index]?.body;
      if (typeof body !== 'object' || body === null)
        throw new Error(`no JSON request body at index ${index}`);
      return body as Record<string, unknown>;
    },
    clientDisconnects: (count = 1) =>
      disconnects >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function send(reply: ReplayReply, res: ServerResponse): Promise<void> {
  const date = new Date().toUTCString();
  switch (reply.kind) {
    case 'hang':
      return;
    case 'json': {
      const body = typeof reply.body === 'string' ? reply.body.trim() : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', Date: date });
      res.end(body);
      return;
    }
    case 'ndjson': {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', Date: date });
      const lines = reply.body.split('\n').filter((line) => line.trim() !== '');
      for (const line of lines) {
        if (res.destroyed) return;
        res.write(`${line}\n`);
        await new Promise((resolve) => setTimeout(resolve, reply.delayMs ?? 5));
      }
      res.end();
    }
  }
}

/** A URL on 127.0.0.1 where nothing listens (a port just released by a server). */
export async function unusedLocalUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
