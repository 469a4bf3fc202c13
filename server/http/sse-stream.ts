import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** A server-sent-events response being written. */
export interface SseStream {
  /**
   * Writes one event (`event:` + `data:` lines); `name` omitted writes a plain `data:` message. With
   * `id`, the event carries it, and a reconnecting client sends it back as `Last-Event-ID`.
   */
  send(data: unknown, name?: string, id?: number): void;
  /** Writes a raw `data:` line (e.g. OpenAI's `[DONE]`). */
  sendRaw(data: string): void;
  /** Ends the response. */
  end(): void;
  /** Aborts when the client goes away before the stream ends. */
  readonly signal: AbortSignal;
}

/** Options of `openSseStream`. */
export interface SseOptions {
  /** Comment lines sent this often keep idle connections open through proxies (ms; default 15000). */
  readonly heartbeatMs?: number;
}

/**
 * Starts an SSE response: sets the headers, hands Fastify a stream (so hooks, logging and metrics see
 * the response like any other) and returns a writer. The first event flushes the headers.
 */
export function openSseStream(reply: FastifyReply, options: SseOptions = {}): SseStream {
  const body = new PassThrough();
  const aborted = new AbortController();
  let ended = false;
  reply.raw.on('close', () => {
    if (!ended) aborted.abort(new Error('client disconnected'));
  });
  const heartbeat = setInterval(() => {
    if (!ended && !body.destroyed) body.write(': keep-alive\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(body);
  const write = (text: string) => {
    if (!ended && !body.destroyed) body.write(text);
  };
  return {
    send(data, name, id) {
      write(
        `${id === undefined ? '' : `id: ${id}\n`}${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`,
      );
    },
    sendRaw(data) {
      write(`data: ${data}\n\n`);
    },
    end() {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      body.end();
    },
    signal: aborted.signal,
  };
}
