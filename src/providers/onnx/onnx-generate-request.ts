/** One chat turn; rendered through the model's own chat template. */
export interface OnnxChatMessage {
  /** Speaker: `system`, `user`, `assistant` (any role the template knows). */
  readonly role: string;
  /** Text of the turn. */
  readonly content: string;
}

/**
 * Restricts which tokens may come next (typed decoding). `accept` is told every generated token in
 * order; `mask()` describes the allowed next tokens and can blank the rest of a logits row in place.
 */
export interface TokenConstraint {
  /** Feeds the token the model just produced. */
  accept(tokenId: number): void;
  /** The allowed next tokens. */
  mask(): { applyToLogits(logits: Float32Array | Float64Array, offset: number, vocabSize: number): void };
}

/** A text generation request. Give `messages` (chat) or `prompt` (raw text), not both. */
export interface OnnxGenerateRequest {
  /** Model reference (folder path or hub id); loaded with the engine defaults if not loaded yet. */
  readonly model: string;
  /** Chat turns, formatted with the tokenizer's chat template plus the assistant generation prompt. */
  readonly messages?: readonly OnnxChatMessage[];
  /** Raw prompt text, tokenized as is. */
  readonly prompt?: string;
  /** Most new tokens to generate. */
  readonly maxTokens: number;
  /** Sampling temperature; 0 (default) means greedy decoding, which is deterministic. */
  readonly temperature?: number;
  /** Nucleus sampling mass (only with temperature > 0). Default 1. */
  readonly topP?: number;
  /** Strings that end generation; the returned text stops before the first one. */
  readonly stop?: readonly string[];
  /** Aborts waiting and generation; the call then rejects with `SIGNET_ABORTED`. */
  readonly signal?: AbortSignal;
  /** Constrains generation with a ready-made constraint; one constraint object serves one request. */
  readonly constraint?: TokenConstraint;
  /**
   * Typed decoding: the output is forced to be one JSON document valid against this JSON Schema and
   * ends when the document is complete. Grammars and masks are compiled once per tokenizer and schema.
   */
  readonly jsonSchema?: Readonly<Record<string, unknown>>;
  /** Receives text deltas as they are generated; they concatenate to the returned `text`. */
  readonly onToken?: (delta: string) => void;
}

/** Why generation ended: a stop string or end-of-sequence token (`stop`), or the token limit (`length`). */
export type OnnxFinishReason = 'stop' | 'length';

/** Result of a generation. */
export interface OnnxGenerateResult {
  /** Generated text, without special tokens and cut before any stop string. */
  readonly text: string;
  /** Why generation ended. */
  readonly finishReason: OnnxFinishReason;
  /** Token counts. */
  readonly usage: {
    /** Tokens in the prompt after templating. */
    readonly promptTokens: number;
    /** Tokens generated (including a stop or end-of-sequence token). */
    readonly completionTokens: number;
  };
}

/** An embedding request. */
export interface OnnxEmbedRequest {
  /** Model reference of an encoder (folder path or hub id). */
  readonly model: string;
  /** Texts to embed. */
  readonly texts: readonly string[];
  /** Aborts between batches; the call then rejects with `SIGNET_ABORTED`. */
  readonly signal?: AbortSignal;
}
