const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Pattern a byte-size string must match: a number and a unit, e.g. `512MB`, `4 GiB`, `1.5GB`. */
export const BYTE_SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)$/i;

/** Bytes in a size given as a number of bytes or a string such as `8GiB`; undefined when unparsable. */
export function parseByteSize(size: number | string): number | undefined {
  if (typeof size === 'number') return Number.isFinite(size) && size >= 0 ? size : undefined;
  const match = BYTE_SIZE_PATTERN.exec(size.trim());
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

/** A short human form in binary units: `512 B`, `1.5 KiB`, `4.0 GiB`. */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let index = 0;
  while (value >= 1024 && index < units.length - 1) {
    value /= 1024;
    index += 1;
  }
  return index === 0 ? `${value} B` : `${value.toFixed(1)} ${units[index]}`;
}
