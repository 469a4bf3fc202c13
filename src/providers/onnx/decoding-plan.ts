import type { GenerationConfig, PreTrainedModel } from '@huggingface/transformers';
import type { OnnxDevice } from '../hardware/onnx-device.ts';
import type { OnnxDecodingLoop } from './onnx-engine-options.ts';

/**
 * Which loop decodes a model. signet's own loop ({@link decodeRows}) runs every plain key/value-cache
 * decoder; anything else (encoder-decoders, extra sessions, recurrent caches, generation-config
 * processors the loop does not implement) runs on transformers.js' `generate()`, with the reason kept
 * for diagnostics.
 */
export type DecodingPlan =
  | {
      readonly loop: 'owned';
      /** Position id of a row's first real token (1 for Gemma 3 and PaliGemma, 0 elsewhere). */
      readonly positionStart: number;
      /** Whether the model takes `position_ids`. */
      readonly positionIds: boolean;
      /** Whether the model takes `num_logits_to_keep` (then only the last position's logits are computed). */
      readonly logitsToKeep: boolean;
      /** The generation config's `top_k` (0: no limit), used when sampling. */
      readonly topK: number;
      /**
       * Axis of the cache tensors that grows with the sequence (named `past_sequence_length` or alike
       * in the model's input metadata); undefined when the metadata does not say, which turns off
       * joining a running batch (that realigns caches along this axis).
       */
      readonly cacheSequenceAxis: number | undefined;
    }
  | { readonly loop: 'transformers'; readonly reason: string };

const INPUT =
  /^(input_ids|attention_mask|position_ids|num_logits_to_keep|use_cache_branch|past_key_values\.\d+\.(key|value))$/;
const OUTPUT = /^(logits|present\.\d+\.(key|value))$/;
/** transformers.js numbers positions from 1 for these model types (decoder_forward's start_index). */
const ONE_BASED_POSITIONS = new Set(['paligemma', 'gemma3_text', 'gemma3']);

interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly {
    readonly name: string;
    readonly shape?: readonly (number | string)[];
  }[];
}

/**
 * Decides how `model` (running on `device`) is decoded. Cheap: a scan of its session's input and output
 * names and its generation config.
 */
export function planDecoding(model: PreTrainedModel, device?: OnnxDevice): DecodingPlan {
  // transformers.js keeps a WebGPU model's cache in GPU buffers, which the loop would have to copy out.
  if (device === 'webgpu') return { loop: 'transformers', reason: 'webgpu keeps the cache in GPU buffers' };
  const sessions = Object.keys(model.sessions);
  const session = model.sessions.model as OnnxSession | undefined;
  if (sessions.length !== 1 || session === undefined) {
    return { loop: 'transformers', reason: `sessions ${sessions.join(', ')} (expected one "model")` };
  }
  if (model.config.is_encoder_decoder === true) return { loop: 'transformers', reason: 'encoder-decoder' };
  const odd = [
    ...session.inputNames.filter((name) => !INPUT.test(name)),
    ...session.outputNames.filter((name) => !OUTPUT.test(name)),
  ];
  if (odd.length > 0) return { loop: 'transformers', reason: `inputs/outputs ${odd.join(', ')}` };
  if (!session.inputNames.includes('input_ids') || !session.outputNames.includes('logits')) {
    return { loop: 'transformers', reason: 'no input_ids or logits' };
  }
  const config = model._prepare_generation_config(null, {});
  const processor = unsupportedProcessor(config);
  if (processor !== undefined) return { loop: 'transformers', reason: `generation config ${processor}` };
  return {
    loop: 'owned',
    positionStart: ONE_BASED_POSITIONS.has(String(model.config.model_type)) ? 1 : 0,
    positionIds: session.inputNames.includes('position_ids'),
    logitsToKeep: session.inputNames.includes('num_logits_to_keep'),
    topK: Math.max(config.top_k ?? 0, 0),
    cacheSequenceAxis: cacheSequenceAxis(session),
  };
}

/** The axis every cache input names as its sequence length, if they agree. */
function cacheSequenceAxis(session: OnnxSession): number | undefined {
  const axes = new Set<number>();
  for (const meta of session.inputMetadata ?? []) {
    if (!meta.name.startsWith('past_key_values.')) continue;
    const axis = (meta.shape ?? []).findIndex(
      (dim) => typeof dim === 'string' && /sequence|seq_len/i.test(dim),
    );
    axes.add(axis);
  }
  const [axis] = axes;
  return axes.size === 1 && axis !== undefined && axis > 0 ? axis : undefined;
}

/** The first logits processor `generate()` would add from the model's generation config that the owned loop lacks. */
function unsupportedProcessor(config: GenerationConfig): string | undefined {
  const set = (value: unknown): boolean => value !== null && value !== undefined;
  const checks: [string, boolean][] = [
    ['repetition_penalty', set(config.repetition_penalty) && config.repetition_penalty !== 1],
    ['no_repeat_ngram_size', (config.no_repeat_ngram_size ?? 0) > 0],
    ['bad_words_ids', set(config.bad_words_ids)],
    ['min_length', (config.min_length ?? 0) > 0],
    ['min_new_tokens', (config.min_new_tokens ?? 0) > 0],
    ['forced_bos_token_id', set(config.forced_bos_token_id)],
    ['forced_eos_token_id', set(config.forced_eos_token_id)],
    ['suppress_tokens', set(config.suppress_tokens)],
    ['begin_suppress_tokens', set(config.begin_suppress_tokens)],
    ['guidance_scale', (config.guidance_scale ?? 0) > 1],
  ];
  return checks.find(([, unsupported]) => unsupported)?.[0];
}

/** The public summary of a plan, as `OnnxModelInfo.decoding` shows it. */
export function decodingLoopOf(plan: DecodingPlan): OnnxDecodingLoop {
  return plan.loop === 'owned' ? { loop: 'signet' } : { loop: 'transformers.js', reason: plan.reason };
}
