import type { FakeUsage } from './fake-upstream-types.ts';

/** A complete HTTP answer. */
export interface WireAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Reason phrase, when Node's table lacks the status (529). */
  readonly statusText?: string;
  /** Response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as it goes on the wire. */
  readonly body: string;
}

/** One event of a streamed answer, before framing. */
export interface WireEvent {
  /** SSE event name (Anthropic's `event:` line); absent elsewhere. */
  readonly name?: string;
  /** The event's payload: JSON text, or a sentinel such as `[DONE]`. */
  readonly data: string;
}

/** A streamed answer: 200, its headers, and its events in order. */
export interface WireStream {
  /** Response headers (the content type says SSE or NDJSON). */
  readonly headers: Readonly<Record<string, string>>;
  /** The events, each written as one chunk. */
  readonly events: readonly WireEvent[];
}

/** What one generation answers with. */
export interface Generation {
  /** Model to report. */
  readonly model: string;
  /** The whole completion text. */
  readonly text: string;
  /** The text cut into stream pieces (joined they give `text`). */
  readonly pieces: readonly string[];
  /** Usage to report. */
  readonly usage: FakeUsage;
  /** Unique number of the answer, for ids. */
  readonly serial: number;
  /** When the answer was made. */
  readonly created: Date;
  /** The request body as JSON (for options such as `stream_options`). */
  readonly json: unknown;
}

/** What a non-generation route needs to answer. */
export interface RouteContext {
  /** The model the fake lists. */
  readonly model: string;
  /** The request body as JSON. */
  readonly json: unknown;
}

/** What a request is to a dialect. */
export type DialectRoute =
  /** The generation endpoint: faults apply. */
  | { readonly kind: 'generate'; readonly streamed: boolean; readonly model: string | undefined }
  /** Any other known endpoint (listing, show, embeddings), answered directly. */
  | { readonly kind: 'answer'; readonly answer: (context: RouteContext) => WireAnswer };

/** One API's wire format, as the fake server needs it. */
export interface UpstreamDialect {
  /** Model listed when the options name none. */
  readonly defaultModel: string;
  /** Path the base URL adds to the origin (`/v1`, `/v1beta`, or empty). */
  readonly basePath: string;
  /** Environment pointing signet at a fake with this base URL and origin. */
  env(baseUrl: string, origin: string): Record<string, string>;
  /** What a request is; undefined for an unknown route. */
  route(method: string, url: URL, json: unknown): DialectRoute | undefined;
  /** The plain generation answer. */
  complete(generation: Generation): WireAnswer;
  /** The streamed generation answer. */
  stream(generation: Generation): WireStream;
  /** How one event goes on the wire. */
  frame(event: WireEvent): string;
  /** The API's error answer for a status (and `retry-after` seconds, when given). */
  error(status: number, retryAfterS?: number): WireAnswer;
  /** The API's answer to an unknown route. */
  notFound(method: string, path: string): WireAnswer;
}

/** A JSON answer. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  statusText?: string,
): WireAnswer {
  return {
    status,
    ...(statusText === undefined ? {} : { statusText }),
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** `retry-after` when seconds are given, else nothing. */
export function retryAfterHeader(retryAfterS: number | undefined): Record<string, string> {
  return retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) };
}

/** The model a JSON body names (`model` field), if any. */
export function modelOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const model = (json as { model?: unknown }).model;
  return typeof model === 'string' && model !== '' ? model : undefined;
}

/** The `stream` field of a JSON body, if it is a boolean. */
export function streamFlag(json: unknown): boolean | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const stream = (json as { stream?: unknown }).stream;
  return typeof stream === 'boolean' ? stream : undefined;
}
