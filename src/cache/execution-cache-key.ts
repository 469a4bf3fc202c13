import { canonicalJson } from '../util/canonical-json.ts';
import { sha256Hex } from '../util/sha256-hex.ts';

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
  /** Nucleus sampling share (undefined: the provider's default). */
  readonly topP?: number | undefined;
  /** Whether typed decoding constrains the output. */
  readonly constrained: boolean;
  /** The validated inputs. */
  readonly inputs: unknown;
}

/** The hashes an execution is cached under. */
export interface CacheKeys {
  /** The exact key: partition and inputs together (SHA-256 hex). */
  readonly key: string;
  /**
   * Hash of everything but the inputs (signature, program and its state, provider, model, parameters):
   * answers are only ever shared inside one partition, so a semantic hit never crosses a different
   * signature, program version, model or parameters.
   */
  readonly partition: string;
  /** Hash of the inputs (canonical JSON: key order does not change it). */
  readonly inputsHash: string;
}

/** Version of the key layout; bump it when the parts change, so old entries are never read as new. */
const KEY_VERSION = 3;

/**
 * The keys of an execution. Only `key` is computed up front (one SHA-256 over the canonical JSON of the
 * parts): a miss, the common case, needs nothing else; `partition` and `inputsHash` are hashed when
 * first read (a hit, or the semantic cache).
 */
export function executionCacheKeys(parts: ExecutionKeyParts): CacheKeys {
  // The parts in a fixed order (an absent one is null): no keys to sort, on every cached run's path.
  const partitionJson = JSON.stringify([
    KEY_VERSION,
    parts.signature,
    parts.program,
    parts.programState,
    parts.provider,
    parts.model ?? null,
    finite(parts.temperature, 'temperature'),
    finite(parts.maxTokens, 'maxTokens'),
    finite(parts.topP, 'topP'),
    parts.constrained,
  ]);
  const inputsJson = canonicalJson(parts.inputs);
  return new LazyCacheKeys(sha256Hex(`${partitionJson}\n${inputsJson}`), partitionJson, inputsJson);
}

/** A sampling parameter as a key part: null when absent; a non-finite one is refused, as in inputs. */
function finite(value: number | undefined, name: string): number | null {
  if (value === undefined) return null;
  if (!Number.isFinite(value)) throw new TypeError(`executionCacheKeys: ${name} is not finite (${value})`);
  return value;
}

class LazyCacheKeys implements CacheKeys {
  readonly key: string;
  readonly #partitionJson: string;
  readonly #inputsJson: string;
  #partition: string | undefined;
  #inputsHash: string | undefined;

  constructor(key: string, partitionJson: string, inputsJson: string) {
    this.key = key;
    this.#partitionJson = partitionJson;
    this.#inputsJson = inputsJson;
  }

  get partition(): string {
    this.#partition ??= sha256Hex(this.#partitionJson);
    return this.#partition;
  }

  get inputsHash(): string {
    this.#inputsHash ??= sha256Hex(this.#inputsJson);
    return this.#inputsHash;
  }

  toJSON(): { key: string; partition: string; inputsHash: string } {
    return { key: this.key, partition: this.partition, inputsHash: this.inputsHash };
  }
}
