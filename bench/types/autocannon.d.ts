/**
 * The part of autocannon 9's programmatic API the bench uses (the package ships no types).
 * See node_modules/autocannon/README.md.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  /** Options of `autocannon(options, callback)`. */
  export interface AutocannonOptions {
    /** Target URL. */
    url: string;
    /** HTTP method (default GET). */
    method?: string;
    /** Request headers. */
    headers?: Record<string, string>;
    /** Request body. */
    body?: string;
    /** Concurrent connections (default 10). */
    connections?: number;
    /** Pipelined requests per connection (default 1). */
    pipelining?: number;
    /** Seconds to run (default 10); ignored when `amount` is set. */
    duration?: number;
    /** Requests to make before stopping. */
    amount?: number;
    /** How often samples are taken, in ms (default 1000); a run stops on the first sample after `duration`. */
    sampleInt?: number;
    /** Seconds before a request times out (default 10). */
    timeout?: number;
  }

  /** What a finished run reports (only the fields the bench reads). */
  export interface AutocannonResult {
    /** Connection errors, timeouts included. */
    errors: number;
    /** Timeouts. */
    timeouts: number;
    /** Responses with a status outside 2xx. */
    non2xx: number;
    /** Run length in seconds. */
    duration: number;
  }

  /** A running instance: emits `response(client, statusCode, bytes, responseTimeMs)` per response. */
  export interface AutocannonInstance extends EventEmitter {
    /** Stops the run; the callback then receives what was measured so far. */
    stop(): void;
  }

  /** Starts a run. */
  export default function autocannon(
    options: AutocannonOptions,
    callback: (error: Error | null, result: AutocannonResult) => void,
  ): AutocannonInstance;
}
