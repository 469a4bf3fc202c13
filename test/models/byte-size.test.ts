import { describe, expect, it } from 'vitest';
import { formatByteSize, parseByteSize } from '../../src/models/byte-size.ts';

describe('byte sizes', () => {
  it('parses decimal and binary units', () => {
    expect(parseByteSize('512MB')).toBe(512e6);
    expect(parseByteSize('4 GiB')).toBe(4 * 1024 ** 3);
    expect(parseByteSize('1.5gb')).toBe(1.5e9);
    expect(parseByteSize(1234)).toBe(1234);
    expect(parseByteSize('lots')).toBeUndefined();
  });

  it('formats in binary units', () => {
    expect(formatByteSize(512)).toBe('512 B');
    expect(formatByteSize(1536)).toBe('1.5 KiB');
    expect(formatByteSize(4 * 1024 ** 3)).toBe('4.0 GiB');
  });
});
