import { hashCanonical } from '../util/canonical-json.ts';

/** Everything that can change the answer of an execution. */
export interface ExecutionKeyParts {
  /** Hash of the signature (`signature.hash()`). */
  readonly signature: string;
  /** Program kind. */
  readonly program: string;
  /** Hash of the program's state (instructions, demos): an optimized program answers differently. */
  readonly programState: string;
  /** Provider identity: its name, and the deployments of a router. */
  readonly provider: string;
  /** Model asked for (undefined: the provider's default). */
  readonly model: string | undefined;
  /** Sampling temperature. */
  readonly temperature: number | undefined;
  /** Cap on generated tokens. */
  readonly maxTokens: number | undefined;
  /** Whether typed decoding constrains the output. */
  readonly constrained: boolean;
  /** The validated inputs. */
  readonly inputs: unknown;
}

/** Version of the key layout; bump it when the parts change, so old entries are never read as new. */
const KEY_VERSION = 1;

/** SHA-256 of the canonical JSON of the parts: key order in the inputs does not change it. */
export function executionCacheKey(parts: ExecutionKeyParts): string {
  return hashCanonical({ v: KEY_VERSION, ...parts });
}
