import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerGeneration } from './answer-generation.ts';
import { anthropicWire } from './anthropic-wire.ts';
import { type Exchange, sendAnswer, sleep } from './exchange.ts';
import type {
  FakeUpstream,
  FakeUpstreamKind,
  FakeUpstreamOptions,
  FakeUpstreamStats,
  UpstreamRequest,
} from './fake-upstream-types.ts';
import { geminiWire } from './gemini-wire.ts';
import { ollamaWire } from './ollama-wire.ts';
import { openaiWire } from './openai-wire.ts';
import { splitReply } from './split-reply.ts';
import type { UpstreamDialect } from './upstream-dialect.ts';
import { createFaultPicker } from './upstream-fault.ts';

/** The wire format of each kind. */
const upstreamDialects: Readonly<Record<FakeUpstreamKind, UpstreamDialect>> = {
  openai: openaiWire,
  anthropic: anthropicWire,
  gemini: geminiWire,
  ollama: ollamaWire,
};

/** The completion text when the options give none: Ax's `Field: value` output format. */
export const DEFAULT_FAKE_REPLY = 'Answer: Paris\nConfidence: 0.9';

const DEFAULT_USAGE = { promptTokens: 42, completionTokens: 7 } as const;
const KEPT_REQUESTS = 1000;

/**
 * Starts a local stand-in for a cloud API or an Ollama server on 127.0.0.1 that speaks the API's real
 * wire format (plain and streamed), and injects faults into the generation endpoint on a plan: error
 * statuses, hangs, resets, malformed bodies, slow streams. Keep-alive stays on and each request does
 * little work, so hundreds of concurrent clients can drive it.
 */
export async function startFakeUpstream(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const dialect = upstreamDialects[options.kind];
  const model = options.model ?? dialect.defaultModel;
  const usage = options.usage ?? DEFAULT_USAGE;
  const recorded: UpstreamRequest[] = [];
  const counts = { requests: 0, chatRequests: 0, faulted: 0, inFlight: 0, maxInFlight: 0, clientAborts: 0 };
  const waiters: { count: number; resolve: () => void }[] = [];
  let pickFault = createFaultPicker(options.faults);
  let closing = false;

  const noteClientAbort = () => {
    counts.clientAborts++;
    for (const waiter of waiters.filter((w) => w.count <= counts.clientAborts)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const open = (res: ServerResponse): Exchange => {
    counts.inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    let gone = false;
    let selfDestroyed = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      counts.inFlight--;
    };
    res.once('finish', settle);
    res.once('close', () => {
      gone = true;
      if (!res.writableFinished && !selfDestroyed && !closing) noteClientAbort();
      settle();
    });
    return {
      res,
      gone: () => gone || res.destroyed,
      destroy: (mode) => {
        selfDestroyed = true;
        if (mode === 'reset') res.socket?.resetAndDestroy();
        else res.socket?.destroy();
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.requests++;
    const exchange = open(res);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client left while sending its body
    }
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const url = new URL(path, 'http://fake-upstream');
    const json = parseJson(Buffer.concat(chunks).toString('utf8'));
    const route = dialect.route(method, url, json);
    const request: UpstreamRequest = {
      method,
      path,
      headers: req.headers,
      json,
      streamed: route?.kind === 'generate' && route.streamed,
    };
    recorded.push(request);
    if (recorded.length > KEPT_REQUESTS) recorded.splice(0, recorded.length - KEPT_REQUESTS);
    if (route === undefined) {
      sendAnswer(exchange, dialect.notFound(method, url.pathname));
      return;
    }
    if (route.kind === 'answer') {
      sendAnswer(exchange, route.answer({ model, json }));
      return;
    }
    const call = ++counts.chatRequests;
    const fault = pickFault(call, request);
    if (fault !== undefined) counts.faulted++;
    if (options.latencyMs !== undefined && options.latencyMs > 0) await sleep(options.latencyMs);
    const text =
      typeof options.reply === 'function' ? options.reply(request) : (options.reply ?? DEFAULT_FAKE_REPLY);
    await answerGeneration(exchange, {
      dialect,
      generation: {
        model: route.model ?? model,
        text,
        pieces: splitReply(text),
        usage,
        serial: call,
        created: new Date(),
        json,
      },
      streamed: route.streamed,
      fault,
      chunkDelayMs: options.chunkDelayMs ?? 0,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake upstream failed: ${String(error)}`);
    });
  });
  // Longer than clients' idle timeouts, so a client never reuses a socket the fake is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', backlog: 1024 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}${dialect.basePath}`;

  return {
    kind: options.kind,
    model,
    origin,
    baseUrl,
    env: dialect.env(baseUrl, origin),
    get requests() {
      return recorded;
    },
    setFaults: (plan) => {
      pickFault = createFaultPicker(plan);
    },
    stats: (): FakeUpstreamStats => ({ ...counts }),
    clientAborts: (count = 1) =>
      counts.clientAborts >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
