import type { Message } from '@huggingface/transformers';
import { SignetError } from '../../errors/index.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest } from './onnx-generate-request.ts';

/** Renders a request to prompt text: the chat template for messages, the raw prompt otherwise. */
export function renderPrompt(
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

/** Token ids that end a sequence, from the model's generation config (else its config.json, as `generate()` does). */
export function eosTokenIds(lm: LoadedTextGenerator): Set<bigint> {
  const config = lm.model.config as { eos_token_id?: unknown };
  const raw: unknown = lm.model.generation_config?.eos_token_id ?? config.eos_token_id ?? null;
  const ids = Array.isArray(raw) ? raw : [raw];
  return new Set(ids.filter((id): id is number => typeof id === 'number').map((id) => BigInt(id)));
}
