import { generateBatch } from './generate-batch.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult } from './onnx-generate-request.ts';

/**
 * Runs one generation on a loaded causal LM: renders the chat template, streams text deltas, ends on
 * stop strings, end-of-sequence, `maxTokens` or the context window, and honours the abort signal
 * between decoding steps. `contextLength` caps prompt + output when known. A batch of one.
 */
export async function generateText(
  lm: LoadedTextGenerator,
  request: OnnxGenerateRequest,
  contextLength: number | undefined,
): Promise<OnnxGenerateResult> {
  const [outcome] = await generateBatch(lm, [request], contextLength);
  if (outcome === undefined) throw new Error('unreachable: one request, one outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
