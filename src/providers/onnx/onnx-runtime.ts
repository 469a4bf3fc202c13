/**
 * Everything that needs transformers.js at run time, in one module the engine imports lazily: loading
 * signet (or a provider that never runs a local model) then costs no onnxruntime memory.
 */
export { env } from '@huggingface/transformers';
export { embedTexts } from './embed-texts.ts';
export { runBatch } from './generate-batch.ts';
export { loadOnnxModel } from './load-onnx-model.ts';
export { createTypedDecodingCache } from './typed-decoding.ts';
