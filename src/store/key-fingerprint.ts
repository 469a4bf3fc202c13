/**
 * A 32-bit fingerprint of a key (FNV-1a over its UTF-16 code units): equal keys always share one, and
 * two different keys share one about once in four billion pairs. A set of them says for sure that a key
 * is absent, and only probably that it is present.
 */
export function keyFingerprint(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
