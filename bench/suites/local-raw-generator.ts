import {
  AutoModelForCausalLM,
  AutoTokenizer,
  type Message,
  type PreTrainedModel,
  Tensor,
} from '@huggingface/transformers';

/** A chat generator written directly against transformers.js: the local suite's baseline. */
export interface RawGenerator {
  /** Renders the chat template, generates greedily and decodes the new tokens; resolves with their count. */
  generate(messages: readonly Message[], maxNewTokens: number): Promise<number>;
  /** Frees the ONNX session. */
  dispose(): Promise<unknown>;
}

/**
 * Loads a local model folder the way a transformers.js user would (CPU, fp32, local files only) and
 * generates the plain way: `apply_chat_template` -> `model.generate({ max_new_tokens, do_sample: false })`
 * -> `batch_decode` of the new tokens. No queue, no streaming, no stop strings: the floor for signet's
 * ONNX provider, which does all of that around the same calls.
 */
export async function loadRawGenerator(folder: string): Promise<RawGenerator> {
  const [tokenizer, model] = await Promise.all([
    AutoTokenizer.from_pretrained(folder, { local_files_only: true }),
    AutoModelForCausalLM.from_pretrained(folder, { local_files_only: true, device: 'cpu', dtype: 'fp32' }),
  ]);
  return {
    async generate(messages, maxNewTokens) {
      const inputs = tokenizer.apply_chat_template([...messages], {
        add_generation_prompt: true,
        return_dict: true,
      });
      const promptLength = inputs.input_ids.dims.at(-1) ?? 0;
      const output = await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false });
      const sequences = tensorOf(model, output);
      const length = sequences.dims.at(-1) ?? promptLength;
      tokenizer.batch_decode(sequences.slice(null, [promptLength, length]), { skip_special_tokens: true });
      return length - promptLength;
    },
    dispose: () => model.dispose(),
  };
}

function tensorOf(model: PreTrainedModel, output: unknown): Tensor {
  if (output instanceof Tensor) return output;
  const sequences = (output as { sequences?: unknown } | undefined)?.sequences;
  if (sequences instanceof Tensor) return sequences;
  throw new Error(`${model.constructor.name}.generate() returned no token tensor`);
}
