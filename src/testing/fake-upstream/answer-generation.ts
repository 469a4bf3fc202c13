import { type Exchange, sendAnswer, sleep, writeChunks } from './exchange.ts';
import type { Generation, UpstreamDialect, WireEvent, WireStream } from './upstream-dialect.ts';
import type { UpstreamFault } from './upstream-fault.ts';

/** What answering one generation call needs. */
export interface GenerationCall {
  /** The API's wire format. */
  readonly dialect: UpstreamDialect;
  /** What to answer with. */
  readonly generation: Generation;
  /** Whether the request asked for a stream. */
  readonly streamed: boolean;
  /** The fault to inject, if any. */
  readonly fault: UpstreamFault | undefined;
  /** Delay between stream chunks when the fault does not set one. */
  readonly chunkDelayMs: number;
}

/** Answers a generation call, plain or streamed, injecting its fault. Resolves when done writing. */
export async function answerGeneration(exchange: Exchange, call: GenerationCall): Promise<void> {
  const { dialect, generation, streamed, fault } = call;
  if (fault?.type === 'hang') return;
  if (fault?.type === 'status') {
    sendAnswer(exchange, dialect.error(fault.status, fault.retryAfterS));
    return;
  }
  if (fault?.type === 'reset' && (fault.afterChunks ?? 0) <= 0) {
    exchange.destroy('reset');
    return;
  }
  if (!streamed) {
    await answerPlain(exchange, dialect, generation, fault);
    return;
  }
  const wire = dialect.stream(generation);
  const frames = (events: readonly WireEvent[]) => events.map((event) => dialect.frame(event));
  switch (fault?.type) {
    case 'reset':
      await writeStream(exchange, wire, frames(wire.events.slice(0, fault.afterChunks)), call.chunkDelayMs);
      exchange.destroy('close');
      return;
    case 'malformed':
      await writeStream(exchange, wire, frames(breakOneEvent(wire.events)), call.chunkDelayMs);
      if (!exchange.gone()) exchange.res.end();
      return;
    default:
      await writeStream(
        exchange,
        wire,
        frames(wire.events),
        fault?.type === 'slow' ? fault.chunkDelayMs : call.chunkDelayMs,
      );
      if (!exchange.gone()) exchange.res.end();
  }
}

async function answerPlain(
  exchange: Exchange,
  dialect: UpstreamDialect,
  generation: Generation,
  fault: UpstreamFault | undefined,
): Promise<void> {
  const answer = dialect.complete(generation);
  switch (fault?.type) {
    case 'reset': {
      // Headers with the full length, half the body, then the connection closes: cut off in transit.
      if (exchange.gone()) return;
      const length = String(Buffer.byteLength(answer.body));
      exchange.res.writeHead(answer.status, { ...answer.headers, 'content-length': length });
      await writeChunks(exchange, [half(answer.body)], 0);
      exchange.destroy('close');
      return;
    }
    case 'malformed':
      sendAnswer(exchange, { ...answer, body: half(answer.body) });
      return;
    case 'slow':
      // As long as the stream would take.
      await sleep(fault.chunkDelayMs * Math.max(0, dialect.stream(generation).events.length - 1));
      sendAnswer(exchange, answer);
      return;
    default:
      sendAnswer(exchange, answer);
  }
}

async function writeStream(
  exchange: Exchange,
  wire: WireStream,
  chunks: readonly string[],
  delayMs: number,
): Promise<void> {
  if (exchange.gone()) return;
  exchange.res.writeHead(200, wire.headers);
  await writeChunks(exchange, chunks, delayMs);
}

/** The events with the middle one (a content event in every dialect) cut in half. */
function breakOneEvent(events: readonly WireEvent[]): WireEvent[] {
  const index = Math.floor(events.length / 2);
  return events.map((event, i) => (i === index ? { ...event, data: half(event.data) } : event));
}

function half(text: string): string {
  return text.slice(0, Math.ceil(text.length / 2));
}
