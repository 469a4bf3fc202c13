import type { AxChatRequest } from '@ax-llm/ax';

/** A tool call the scripted model makes instead of (or before) answering. */
export interface ScriptedToolCall {
  /** Tool name, as registered with the program. */
  readonly name: string;
  /** Arguments the model passes (deliberately not validated here, so tests can send bad ones). */
  readonly args: Record<string, unknown>;
}

/** One reply of the scripted model: plain text, or a structured reply. */
export type ScriptedReply =
  | string
  | {
      /** Text the model answers with (Ax's field format, e.g. `Answer: Paris`). */
      readonly content?: string;
      /** Tool calls the model makes. */
      readonly toolCalls?: readonly ScriptedToolCall[];
      /** Token counts to report; estimated from text length (4 chars/token) when absent. */
      readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
      /** Simulated latency before the reply, in ms (honours the abort signal). */
      readonly delayMs?: number;
      /** Fail this call with this error instead of replying. */
      readonly error?: Error;
      /** Why generation ended; `stop` by default (`function_call` when there are tool calls). */
      readonly finishReason?: 'stop' | 'length';
    };

/** What the scripted provider saw in one call, recorded for assertions. */
export interface RecordedCall {
  /** 0-based call number across the provider's life. */
  readonly index: number;
  /** Model name requested (the provider's default when the caller named none). */
  readonly model: string;
  /** The system prompt Ax built. */
  readonly system: string;
  /** Every message after the system prompt, as text. */
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  /** The last user message: the one a rule usually matches on. */
  readonly lastUserMessage: string;
  /** Names of the tools offered to the model. */
  readonly tools: readonly string[];
  /** Sampling settings sent with the call. */
  readonly modelConfig: Readonly<Record<string, unknown>>;
  /** The raw request, for anything else a test wants to inspect. */
  readonly request: Readonly<AxChatRequest<unknown>>;
}

/** A reply chosen by looking at the call: `when` decides, `reply` answers. */
export interface ScriptRule {
  /** A pattern tested against the last user message, or a predicate over the whole call. */
  readonly when: RegExp | ((call: RecordedCall) => boolean);
  /** The reply, or a function computing it from the call. */
  readonly reply: ScriptedReply | ((call: RecordedCall) => ScriptedReply);
  /** How many times the rule may fire (unlimited by default). */
  readonly times?: number;
}
