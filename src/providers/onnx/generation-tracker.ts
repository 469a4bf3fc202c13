import { BaseStreamer } from '@huggingface/transformers';

/** Options of {@link GenerationTracker}. */
export interface GenerationTrackerOptions {
  /** Decodes generated token ids to text (special tokens skipped). */
  readonly decode: (ids: readonly bigint[]) => string;
  /** Strings that end generation; the text is cut before the first one found. */
  readonly stop: readonly string[];
  /** Receives each new piece of text; the pieces concatenate to the final text. */
  readonly onDelta?: ((delta: string) => void) | undefined;
}

const REPLACEMENT = '\uFFFD';

/**
 * Streamer for `model.generate()` that collects the generated tokens, finds stop strings and emits text
 * deltas. It holds back the last `maxStopLength - 1` characters (and tokens that end in a split UTF-8
 * sequence) until they are known not to start a stop string, so no delta ever contains stop text.
 *
 * Text is decoded incrementally, a window of the last few tokens at a time (the scheme vLLM uses):
 * the window is decoded with and without its newest tokens and the difference is the new text, so
 * tokenizers that drop a leading space of the first token (SentencePiece) or split characters across
 * tokens (byte-level BPE) still give the text a full decode gives. Each token costs one short decode
 * instead of re-decoding the whole output. Without stop strings or a delta listener nothing is decoded
 * until the end.
 */
export class GenerationTracker extends BaseStreamer {
  /** Tokens generated so far (the prompt is not included). */
  readonly tokens: bigint[] = [];
  /** Offset in the decoded text where a stop string begins, once one was generated. */
  stopIndex: number | undefined;
  private promptSeen = false;
  /** Text of `tokens[0, readOffset)`, grown a window at a time (only while watching). */
  private decoded = '';
  /** First token of the current decoding window. */
  private prefixOffset = 0;
  /** Tokens already turned into `decoded`. */
  private readOffset = 0;
  private emitted = '';
  /** False once a full-decode fallback changed text already streamed; streaming then waits for the end. */
  private aligned = true;
  private finalText: string | undefined;
  private readonly holdBack: number;
  private readonly watch: boolean;

  constructor(private readonly options: GenerationTrackerOptions) {
    super();
    this.holdBack = Math.max(0, ...options.stop.map((s) => s.length - 1));
    this.watch = options.stop.length > 0 || options.onDelta !== undefined;
  }

  /** Called by generate(): first with the prompt ids (ignored), then with one new token per step. */
  override put(value: bigint[][]): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    const row = value[0];
    if (row !== undefined) this.accept(row);
  }

  /** Adds newly generated tokens (one row of a batch), finds stop strings and emits text deltas. */
  accept(row: readonly bigint[]): void {
    for (const token of row) this.tokens.push(token);
    if (!this.watch || this.stopIndex !== undefined || !this.advance()) return;
    const text = this.decoded;
    let earliest = -1;
    for (const stop of this.options.stop) {
      const index = text.indexOf(stop, this.emitted.length);
      if (index !== -1 && (earliest === -1 || index < earliest)) earliest = index;
    }
    if (earliest !== -1) {
      this.stopIndex = earliest;
      this.emitUpTo(earliest);
      return;
    }
    this.emitUpTo(text.length - this.holdBack);
  }

  /** Called by generate() when it finishes: flushes the held-back text. */
  override end(): void {
    const text = this.text();
    this.finalText = text;
    if (text.length > this.emitted.length && text.startsWith(this.emitted)) {
      this.send(text.slice(this.emitted.length));
    }
  }

  /** The generated text, cut before the first stop string (a full decode, the same with or without watching). */
  text(): string {
    if (this.finalText !== undefined) return this.finalText;
    const text = this.tokens.length === 0 ? '' : this.options.decode(this.tokens);
    return this.stopIndex === undefined ? text : text.slice(0, this.stopIndex);
  }

  /**
   * Moves the decoding window over the newest tokens; false while they end in an incomplete character
   * (or decode to nothing, like skipped special tokens), which then wait for the next token.
   */
  private advance(): boolean {
    const { decode } = this.options;
    const before =
      this.readOffset > this.prefixOffset
        ? decode(this.tokens.slice(this.prefixOffset, this.readOffset))
        : '';
    const after = decode(this.tokens.slice(this.prefixOffset));
    if (after.length <= before.length || after.endsWith(REPLACEMENT)) return false;
    if (after.startsWith(before)) {
      this.decoded += after.slice(before.length);
    } else {
      // A tokenizer whose decoding rewrites earlier text (clean-up rules) falls back to a full decode.
      this.decoded = decode(this.tokens);
      this.aligned &&= this.decoded.startsWith(this.emitted);
    }
    this.prefixOffset = this.readOffset;
    this.readOffset = this.tokens.length;
    return true;
  }

  private emitUpTo(end: number): void {
    if (this.aligned && end > this.emitted.length) this.send(this.decoded.slice(this.emitted.length, end));
  }

  private send(delta: string): void {
    this.emitted += delta;
    this.options.onDelta?.(delta);
  }
}
