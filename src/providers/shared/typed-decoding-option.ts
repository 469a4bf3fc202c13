import type { AxAIServiceOptions } from '@ax-llm/ax';

/**
 * Per-call switch for typed (constrained) decoding, carried next to Ax's call options. Ax forwards only
 * its own option fields, so signet's per-run wrapper adds this one when a run asks for free decoding;
 * providers that constrain output read it with `typedDecodingOf()`.
 */
export interface TypedDecodingOption {
  /** `constrained` (default): output follows the requested JSON Schema. `free`: plain sampling. */
  readonly signetTypedDecoding?: 'constrained' | 'free';
  /**
   * The signature's own output JSON Schema. Ax's structured-output schema loses details (integers
   * become numbers), so providers that constrain decoding prefer this one when it is present.
   */
  readonly signetOutputSchema?: Readonly<Record<string, unknown>>;
}

/** Call options with the typed-decoding switch. */
export type SignetCallOptions = AxAIServiceOptions & TypedDecodingOption;

/** The typed-decoding mode a call asked for (constrained unless it said otherwise). */
export function typedDecodingOf(options: Readonly<AxAIServiceOptions> | undefined): 'constrained' | 'free' {
  return (options as TypedDecodingOption | undefined)?.signetTypedDecoding === 'free'
    ? 'free'
    : 'constrained';
}

/** The signature's output schema a call carries, if any. */
export function outputSchemaOf(
  options: Readonly<AxAIServiceOptions> | undefined,
): Readonly<Record<string, unknown>> | undefined {
  return (options as TypedDecodingOption | undefined)?.signetOutputSchema;
}
