/** signet's public API: the one export seam of the library. */
export * from './cache/index.ts';
export * from './decoding/index.ts';
export * from './errors/index.ts';
export * from './models/index.ts';
export * from './pipeline/index.ts';
export * from './program/index.ts';
export * from './providers/cloud/index.ts';
export * from './providers/hardware/index.ts';
export * from './providers/ollama/index.ts';
export * from './providers/onnx/index.ts';
export * from './providers/shared/index.ts';
export * from './registry/index.ts';
export * from './router/index.ts';
export * from './runtime/index.ts';
export * from './signature/index.ts';
export * from './store/index.ts';
