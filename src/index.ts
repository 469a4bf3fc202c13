/** signet's public API: the one export seam of the library. */
export * from './errors/index.ts';
export * from './program/index.ts';
export * from './registry/index.ts';
export * from './signature/index.ts';
export * from './testing/index.ts';
