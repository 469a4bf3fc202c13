import type { Message, Tensor, TextStreamer } from '@huggingface/transformers';
import { SignetError } from '../../errors/index.ts';
import { GenerationTracker, TrackerStoppingCriteria } from './generation-tracker.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult } from './onnx-generate-request.ts';

function renderPrompt(
  lm: LoadedTextGenerator,
  request: OnnxGenerateRequest,
): { text: string; addSpecialTokens: boolean } {
  if (request.messages === undefined) return { text: request.prompt ?? '', addSpecialTokens: true };
  try {
    const text = lm.tokenizer.apply_chat_template(request.messages as Message[], {
      add_generation_prompt: true,
      tokenize: false,
    });
    // The template already places any BOS token; adding special tokens again would duplicate it.
    return { text: String(text), addSpecialTokens: false };
  } catch (error) {
    throw new SignetError(
      'SIGNET_MODEL_INVALID',
      `Model "${request.model}" cannot format chat messages (${error instanceof Error ? error.message : String(error)}); add a chat_template to its tokenizer_config.json or send a prompt instead`,
      { cause: error },
    );
  }
}

function eosTokenIds(lm: LoadedTextGenerator): Set<bigint> {
  const raw: unknown = lm.model.generation_config?.eos_token_id ?? null;
  const ids = Array.isArray(raw) ? raw : [raw];
  return new Set(ids.filter((id): id is number => typeof id === 'number').map((id) => BigInt(id)));
}

/**
 * Runs one generation on a loaded causal LM: renders the chat template, streams text deltas, ends on
 * stop strings, end-of-sequence, `maxTokens` or the context window, and honours the abort signal
 * between decoding steps. `contextLength` caps prompt + output when known.
 */
export async function generateText(
  lm: LoadedTextGenerator,
  request: OnnxGenerateRequest,
  contextLength: number | undefined,
): Promise<OnnxGenerateResult> {
  const { signal } = request;
  const prompt = renderPrompt(lm, request);
  const encoded = lm.tokenizer(prompt.text, { add_special_tokens: prompt.addSpecialTokens }) as {
    input_ids: Tensor;
    attention_mask: Tensor;
  };
  const promptTokens = encoded.input_ids.dims.at(-1) ?? 0;
  let maxNewTokens = request.maxTokens;
  if (contextLength !== undefined) {
    if (promptTokens >= contextLength) {
      throw new SignetError(
        'SIGNET_CONTEXT_TOO_LONG',
        `Prompt is ${promptTokens} tokens but "${request.model}" has a ${contextLength}-token context; shorten the prompt or use a model with a longer context`,
        { details: { promptTokens, contextLength } },
      );
    }
    maxNewTokens = Math.min(maxNewTokens, contextLength - promptTokens);
  }
  const tracker = new GenerationTracker({
    decode: (ids) => (ids.length === 0 ? '' : lm.tokenizer.decode([...ids], { skip_special_tokens: true })),
    stop: request.stop ?? [],
    onDelta: request.onToken,
  });
  const temperature = request.temperature ?? 0;
  const isAborted = (): boolean => signal?.aborted === true;
  const aborted = (): SignetError =>
    new SignetError('SIGNET_ABORTED', 'Generation aborted by the caller', { cause: signal?.reason });
  if (isAborted()) throw aborted();
  try {
    await lm.model.generate({
      ...encoded,
      max_new_tokens: maxNewTokens,
      do_sample: temperature > 0,
      ...(temperature > 0 ? { temperature, top_p: request.topP ?? 1 } : {}),
      // transformers.js' types intersect BaseStreamer with GenerationConfig's TextStreamer field; any
      // BaseStreamer works at run time (generate() only calls put/end).
      streamer: tracker as unknown as TextStreamer,
      stopping_criteria: new TrackerStoppingCriteria(tracker, signal),
    });
  } catch (error) {
    if (isAborted()) throw aborted();
    throw new SignetError(
      'SIGNET_PROVIDER_ERROR',
      `Generation with "${request.model}" failed: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (isAborted()) throw aborted();
  const last = tracker.tokens.at(-1);
  const endedByEos = last !== undefined && eosTokenIds(lm).has(last);
  return {
    text: tracker.text(),
    finishReason: tracker.stopIndex !== undefined || endedByEos ? 'stop' : 'length',
    usage: { promptTokens, completionTokens: tracker.tokens.length },
  };
}
