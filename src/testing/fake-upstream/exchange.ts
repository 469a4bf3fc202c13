import type { ServerResponse } from 'node:http';
import type { WireAnswer } from './upstream-dialect.ts';

/** One response being written, and what the fake knows about its connection. */
export interface Exchange {
  /** The response. */
  readonly res: ServerResponse;
  /** True once the connection closed (the client left, or the fake destroyed it). */
  gone(): boolean;
  /** Ends the connection on the fake's own initiative: a TCP reset, or a plain close. Not a client abort. */
  destroy(mode: 'reset' | 'close'): void;
}

/** Writes a complete answer with its length. */
export function sendAnswer(exchange: Exchange, answer: WireAnswer): void {
  if (exchange.gone()) return;
  const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) };
  const { res } = exchange;
  if (answer.statusText === undefined) res.writeHead(answer.status, headers);
  else res.writeHead(answer.status, answer.statusText, headers);
  res.end(answer.body);
}

/**
 * Writes stream chunks `delayMs` apart (the first at once), honouring backpressure; stops early when
 * the connection goes away. Resolves once the last chunk written was handed to the OS.
 */
export async function writeChunks(
  exchange: Exchange,
  chunks: readonly string[],
  delayMs: number,
): Promise<void> {
  const { res } = exchange;
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0 && delayMs > 0) await sleep(delayMs);
    if (exchange.gone()) return;
    const last = index === chunks.length - 1;
    const flushed = last ? new Promise<void>((resolve) => res.write(chunk, () => resolve())) : undefined;
    if (!last && !res.write(chunk)) await drained(exchange);
    if (flushed !== undefined) await Promise.race([flushed, closed(exchange)]);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function drained(exchange: Exchange): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      exchange.res.off('drain', done).off('close', done);
      resolve();
    };
    exchange.res.once('drain', done).once('close', done);
  });
}

function closed(exchange: Exchange): Promise<void> {
  return exchange.gone() ? Promise.resolve() : new Promise((resolve) => exchange.res.once('close', resolve));
}
