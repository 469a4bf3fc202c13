import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/cloud/', import.meta.url));

/** One HTTP response read from a `.http` fixture: status line, headers, blank line, raw body. */
export interface RecordedResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Reason phrase of the status line. */
  readonly statusText: string;
  /** Response headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as it goes on the wire. */
  readonly body: string;
}

/** A request the fake received. */
export interface ReceivedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Request headers, names lower-cased. */
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  readonly json: unknown;
  /** The raw body text. */
  readonly rawBody: string;
}

/** What a route answers with: a fixture name (relative to test/fixtures/cloud), or one chosen per request. */
export type FakeReply = string | RecordedResponse | ((request: ReceivedRequest) => string | RecordedResponse);

/** One route of the fake: the first route whose method and path match answers. */
export interface FakeRoute {
  /** HTTP method to match. */
  readonly method: 'GET' | 'POST';
  /** Exact path (query included) or a pattern tested against it. */
  readonly path: string | RegExp;
  /** The reply. */
  readonly reply: FakeReply;
}

/** A local stand-in for a cloud API that replays recorded wire responses and records what it received. */
export interface CloudFakeServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Every request received, in order. */
  readonly requests: readonly ReceivedRequest[];
  /** Requests received for a path (exact match, query included, or pattern). */
  requestsTo(path: string | RegExp): ReceivedRequest[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Parses a `.http` fixture file. */
export function loadFixture(name: string): RecordedResponse {
  const text = readFileSync(`${FIXTURES}${name}`, 'utf8');
  const split = /\r?\n\r?\n/.exec(text);
  if (split === null) throw new Error(`fixture ${name} has no blank line after its headers`);
  const [statusLine = '', ...headerLines] = text.slice(0, split.index).split(/\r?\n/);
  const status = /^HTTP\/1\.1 (\d{3}) ?(.*)$/.exec(statusLine);
  if (status === null) throw new Error(`fixture ${name} does not start with an HTTP/1.1 status line`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(status[1]),
    statusText: status[2] ?? '',
    headers,
    body: text.slice(split.index + split[0].length),
  };
}

/** Picks the SSE fixture when the JSON request body asks for `stream: true` (OpenAI and Anthropic style). */
export function byStreamFlag(json: string, sse: string): (request: ReceivedRequest) => string {
  return (request) => (isStreaming(request.json) ? sse : json);
}

/** Starts the fake on 127.0.0.1, on a free port. */
export async function startCloudFakeServer(routes: readonly FakeRoute[]): Promise<CloudFakeServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        json: parseJson(rawBody),
        rawBody,
      };
      requests.push(request);
      const route = routes.find((r) => r.method === request.method && matches(r.path, request.path));
      if (route === undefined) {
        send(res, {
          status: 404,
          statusText: 'Not Found',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ error: { message: `no fake route for ${request.method} ${request.path}` } }),
        });
        return;
      }
      const reply = typeof route.reply === 'function' ? route.reply(request) : route.reply;
      send(res, typeof reply === 'string' ? loadFixture(reply) : reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (path) => requests.filter((r) => matches(path, r.path)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/** Writes a recorded response; event streams go out one event per write, as a server flushes them. */
function send(res: ServerResponse, response: RecordedResponse): void {
  res.writeHead(response.status, response.statusText, response.headers);
  if (!(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    res.end(response.body);
    return;
  }
  for (const event of response.body.split(/(?<=\r?\n\r?\n)/)) res.write(event);
  res.end();
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

function isStreaming(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { stream?: unknown }).stream === true;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
