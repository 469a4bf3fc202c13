import type { IncomingHttpHeaders } from 'node:http';
import type { FaultPlan } from './upstream-fault.ts';

/** The wire dialects the fake speaks. `openai` also stands in for OpenAI-compatible servers and the HF router. */
export type FakeUpstreamKind = 'openai' | 'anthropic' | 'gemini' | 'ollama';

/** Token counts the fake reports for every generation. */
export interface FakeUsage {
  /** Prompt (input) tokens. */
  readonly promptTokens: number;
  /** Completion (output) tokens. */
  readonly completionTokens: number;
}

/** Options of `startFakeUpstream`. */
export interface FakeUpstreamOptions {
  /** Which API's wire format to speak. */
  readonly kind: FakeUpstreamKind;
  /**
   * Model the fake lists and reports when a request names none (default per kind: `gpt-4o-mini`,
   * `claude-3-5-haiku-latest`, `gemini-2.0-flash`, `llama3.2:3b`, what signet's discovery asks for).
   */
  readonly model?: string;
  /** Delay in ms before a generation answer's headers, faults included (default 0). */
  readonly latencyMs?: number;
  /** Delay in ms between the events of a streamed generation (default 0). */
  readonly chunkDelayMs?: number;
  /** Completion text (default `Answer: Paris\nConfidence: 0.9`, Ax's `Field: value` output format). */
  readonly reply?: string | ((request: UpstreamRequest) => string);
  /** Usage reported with every generation (default 42 prompt / 7 completion tokens). */
  readonly usage?: FakeUsage;
  /** Which generation calls fail, and how (default: none). Listing, show and embeddings never fail. */
  readonly faults?: FaultPlan;
  /** Port to listen on, on 127.0.0.1 (default 0: a free one). */
  readonly port?: number;
}

/** One request the fake received. */
export interface UpstreamRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path with query string, as sent (e.g. `/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse`). */
  readonly path: string;
  /** Request headers, names lower-cased. */
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  readonly json: unknown;
  /** Whether the request asked for a streamed generation (always false off the generation endpoint). */
  readonly streamed: boolean;
}

/** Counters of a running fake. */
export interface FakeUpstreamStats {
  /** Requests received, on every endpoint. */
  readonly requests: number;
  /** Requests to the generation endpoint (chat, messages, generateContent, /api/chat). */
  readonly chatRequests: number;
  /** Generation requests answered with a fault. */
  readonly faulted: number;
  /** Requests being answered now. */
  readonly inFlight: number;
  /** The most requests answered at once so far. */
  readonly maxInFlight: number;
  /** Connections the client closed before the reply ended (resets the fake made itself excluded). */
  readonly clientAborts: number;
}

/** A running fake upstream. */
export interface FakeUpstream {
  /** The dialect it speaks. */
  readonly kind: FakeUpstreamKind;
  /** The model it lists. */
  readonly model: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** What signet's base URL wants: origin + `/v1` (openai, anthropic), + `/v1beta` (gemini), origin (ollama). */
  readonly baseUrl: string;
  /**
   * Environment that points signet's discovery at the fake: `OPENAI_API_KEY` + `OPENAI_BASE_URL`,
   * `ANTHROPIC_API_KEY` + `ANTHROPIC_BASE_URL`, `GEMINI_API_KEY` + `GEMINI_BASE_URL`, or `OLLAMA_HOST`.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The most recent requests received (at most the last 1000), oldest first. */
  readonly requests: readonly UpstreamRequest[];
  /** Replaces the fault plan while running (`undefined`: the upstream is healthy again). */
  setFaults(plan: FaultPlan | undefined): void;
  /** A snapshot of the counters. */
  stats(): FakeUpstreamStats;
  /** Resolves once `count` client aborts (default 1) happened in total. */
  clientAborts(count?: number): Promise<void>;
  /** Stops listening and destroys open connections, hung ones included. */
  close(): Promise<void>;
}
