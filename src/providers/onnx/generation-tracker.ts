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

/**
 * Streamer for `model.generate()` that collects the generated tokens, finds stop strings and emits text
 * deltas. It holds back the last `maxStopLength - 1` characters (and a trailing U+FFFD from a split UTF-8
 * sequence) until they are known not to start a stop string, so no delta ever contains stop text.
 */
export class GenerationTracker extends BaseStreamer {
  /** Tokens generated so far (the prompt is not included). */
  readonly tokens: bigint[] = [];
  /** Offset in the decoded text where a stop string begins, once one was generated. */
  stopIndex: number | undefined;
  private promptSeen = false;
  private emitted = '';
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
    this.tokens.push(...row);
    if (!this.watch || this.stopIndex !== undefined) return;
    const text = this.options.decode(this.tokens);
    let earliest = -1;
    for (const stop of this.options.stop) {
      const index = text.indexOf(stop, this.emitted.length);
      if (index !== -1 && (earliest === -1 || index < earliest)) earliest = index;
    }
    if (earliest !== -1) {
      this.stopIndex = earliest;
      this.emit(text.slice(0, earliest));
      return;
    }
    let safe = text.slice(0, text.length - this.holdBack);
    while (safe.endsWith('\uFFFD')) safe = safe.slice(0, -1);
    this.emit(safe);
  }

  /** Called by generate() when it finishes: flushes the held-back text. */
  override end(): void {
    this.emit(this.text());
  }

  /** The generated text, cut before the first stop string. */
  text(): string {
    const text = this.options.decode(this.tokens);
    return this.stopIndex === undefined ? text : text.slice(0, this.stopIndex);
  }

  private emit(safe: string): void {
    if (safe.length <= this.emitted.length || !safe.startsWith(this.emitted)) return;
    const delta = safe.slice(this.emitted.length);
    this.emitted = safe;
    this.options.onDelta?.(delta);
  }
}
