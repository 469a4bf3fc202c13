import type { OnnxEngine } from '../providers/onnx/onnx-engine.ts';
import type { Embedder } from './embedder.ts';

/**
 * An embedder on a local ONNX encoder (transformers.js `feature-extraction`, mean pooled and
 * normalized): e.g. a downloaded all-MiniLM-L6-v2 folder. Runs in the engine you pass, so a worker
 * engine (`createWorkerOnnxEngine()`) keeps the encoder off the event loop.
 */
export function createOnnxEmbedder(engine: Pick<OnnxEngine, 'embed'>, model: string): Embedder {
  return {
    id: `onnx/${model}`,
    async embed(texts, signal) {
      const vectors = await engine.embed({
        model,
        texts,
        ...(signal === undefined ? {} : { signal }),
      });
      return vectors.map((vector) => Float32Array.from(vector));
    },
  };
}
