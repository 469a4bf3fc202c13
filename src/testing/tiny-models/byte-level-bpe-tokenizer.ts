import type { ByteLevelBpeVocab } from './byte-level-bpe-vocab.ts';

/** ChatML template (as used by Qwen and others) that transformers.js' Jinja engine can apply. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** The parts a byte-level BPE `tokenizer.json` is made of. */
export interface ByteLevelBpeParts {
  /** Token string -> id, specials included. */
  readonly vocab: Readonly<Record<string, number>>;
  /** Merge rules, highest priority first. */
  readonly merges: readonly (readonly [string, string])[];
  /** Special tokens (never split, skipped when decoding with `skip_special_tokens`). */
  readonly specials: readonly { readonly id: number; readonly content: string }[];
}

/** A GPT-2 style byte-level BPE `tokenizer.json` (the layout transformers.js and `tokenizers` read). */
export function byteLevelBpeJson(parts: ByteLevelBpeParts): Record<string, unknown> {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: parts.specials.map(({ id, content }) => addedToken(id, content)),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: parts.vocab,
      merges: parts.merges.map(([a, b]) => [a, b]),
    },
  };
}

/** The `tokenizer.json` of a GPT-2 style byte-level BPE tokenizer over `vocab`. */
export function byteLevelBpeTokenizerJson(vocab: ByteLevelBpeVocab): Record<string, unknown> {
  const ids: Record<string, number> = {};
  vocab.tokens.forEach((token, id) => {
    ids[token] = id;
  });
  const specials = Object.entries(vocab.specials).map(([content, id]) => ({ id, content }));
  return byteLevelBpeJson({ vocab: ids, merges: vocab.merges, specials });
}

/** The `tokenizer_config.json`: no BOS/EOS added on encode, ChatML chat template, specials declared. */
export function byteLevelBpeTokenizerConfig(
  vocab: ByteLevelBpeVocab,
  maxLength: number,
): Record<string, unknown> {
  const decoder: Record<string, unknown> = {};
  for (const [content, id] of Object.entries(vocab.specials)) {
    const { id: _id, ...rest } = addedToken(id, content);
    decoder[String(id)] = rest;
  }
  return {
    tokenizer_class: 'GPT2Tokenizer',
    add_bos_token: false,
    add_eos_token: false,
    add_prefix_space: false,
    clean_up_tokenization_spaces: false,
    bos_token: '<|endoftext|>',
    eos_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    additional_special_tokens: Object.keys(vocab.specials).filter((t) => t !== '<|endoftext|>'),
    added_tokens_decoder: decoder,
    model_max_length: maxLength,
    chat_template: CHATML_TEMPLATE,
  };
}
