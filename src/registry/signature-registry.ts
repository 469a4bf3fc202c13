import semver from 'semver';
import { SignetError } from '../errors/signet-error.ts';
import type { Signature } from '../signature/signature.ts';
import { closestMatches } from '../util/closest-matches.ts';

/** What `list()` says about one signature name (its latest version, plus every version known). */
export interface SignatureSummary {
  /** Registry name. */
  readonly name: string;
  /** Latest registered version. */
  readonly version: string;
  /** Every registered version, newest first. */
  readonly versions: readonly string[];
  /** What the signature is for. */
  readonly description: string | undefined;
  /** Labels for grouping and search. */
  readonly tags: readonly string[];
  /** Input field names of the latest version. */
  readonly inputs: readonly string[];
  /** Output field names (visible ones) of the latest version. */
  readonly outputs: readonly string[];
  /** Content hash of the latest version. */
  readonly hash: string;
}

/** Named, versioned signatures. One registry per application; build it with `createSignatureRegistry`. */
export interface SignatureRegistry {
  /** Adds a signature; the same name and version twice is SIGNET_SIGNATURE_DUPLICATE. */
  register(signature: Signature): void;
  /**
   * Resolves `name`, `name@1.2.0` or `name@^1` (any semver range) to the highest matching version.
   * An unknown name is SIGNET_SIGNATURE_NOT_FOUND with the closest names as suggestions.
   */
  get(ref: string): Signature;
  /** Whether `get(ref)` would succeed. */
  has(ref: string): boolean;
  /** Registered versions of a name, newest first (empty when unknown). */
  versions(name: string): readonly string[];
  /** One summary per name, sorted by name. */
  list(): readonly SignatureSummary[];
  /** Number of distinct names. */
  readonly size: number;
}

/** Creates a registry, optionally filled from a list (a duplicate in the list fails here, at start-up). */
export function createSignatureRegistry(initial: Iterable<Signature> = []): SignatureRegistry {
  const byName = new Map<string, Signature[]>();

  const register = (signature: Signature): void => {
    const list = byName.get(signature.name) ?? [];
    if (list.some((s) => s.version === signature.version)) {
      throw new SignetError(
        'SIGNET_SIGNATURE_DUPLICATE',
        `signature ${signature.id} is already registered; bump its version or remove the duplicate`,
        { details: { name: signature.name, version: signature.version } },
      );
    }
    list.push(signature);
    list.sort((a, b) => semver.rcompare(a.version, b.version));
    byName.set(signature.name, list);
  };

  const find = (ref: string): Signature | SignetError => {
    const at = ref.lastIndexOf('@');
    const name = at > 0 ? ref.slice(0, at) : ref;
    const range = at > 0 ? ref.slice(at + 1) : undefined;
    const list = byName.get(name);
    if (list === undefined) {
      const suggestions = closestMatches(name, byName.keys());
      const hint =
        suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
      return new SignetError('SIGNET_SIGNATURE_NOT_FOUND', `no signature named "${name}".${hint}`, {
        details: { name, suggestions },
      });
    }
    if (range === undefined) return list[0] as Signature;
    if (semver.validRange(range) === null) {
      return new SignetError(
        'SIGNET_SIGNATURE_NOT_FOUND',
        `"${range}" is not a version or semver range (try "${name}@1.0.0" or "${name}@^1")`,
        { details: { name, range } },
      );
    }
    const match = list.find((s) => semver.satisfies(s.version, range));
    if (match !== undefined) return match;
    return new SignetError(
      'SIGNET_SIGNATURE_NOT_FOUND',
      `no version of "${name}" satisfies "${range}"; available: ${list.map((s) => s.version).join(', ')}`,
      { details: { name, range, versions: list.map((s) => s.version) } },
    );
  };

  for (const signature of initial) register(signature);

  return {
    register,
    get(ref) {
      const found = find(ref);
      if (found instanceof SignetError) throw found;
      return found;
    },
    has: (ref) => !(find(ref) instanceof SignetError),
    versions: (name) => (byName.get(name) ?? []).map((s) => s.version),
    list: () =>
      [...byName.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, list]) => {
          const latest = list[0] as Signature;
          return {
            name,
            version: latest.version,
            versions: list.map((s) => s.version),
            description: latest.description,
            tags: latest.tags,
            inputs: latest.inputs.map((f) => f.name),
            outputs: latest.visibleOutputs.map((f) => f.name),
            hash: latest.hash(),
          };
        }),
    get size() {
      return byName.size;
    },
  };
}
