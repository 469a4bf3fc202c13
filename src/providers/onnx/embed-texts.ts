import { SignetError } from '../../errors/index.ts';
import type { LoadedEmbedder } from './load-onnx-model.ts';
import type { OnnxEmbedRequest } from './onnx-generate-request.ts';

/**
 * Embeds texts in batches of `batchSize` with mean pooling over real (unpadded) tokens and L2
 * normalization, so every vector has unit length. Checks the abort signal between batches.
 */
export async function embedTexts(
  embedder: LoadedEmbedder,
  request: OnnxEmbedRequest,
  batchSize: number,
): Promise<number[][]> {
  const { texts, signal } = request;
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    if (signal?.aborted === true) {
      throw new SignetError('SIGNET_ABORTED', 'Embedding aborted by the caller', { cause: signal.reason });
    }
    const batch = texts.slice(start, start + batchSize);
    try {
      const output = await embedder.extractor([...batch], { pooling: 'mean', normalize: true });
      vectors.push(...(output.tolist() as number[][]));
    } catch (error) {
      throw new SignetError(
        'SIGNET_PROVIDER_ERROR',
        `Embedding with "${request.model}" failed: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  return vectors;
}
