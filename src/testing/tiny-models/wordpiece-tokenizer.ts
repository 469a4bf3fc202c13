/** Special tokens of the tiny BERT-style encoder, in id order (ids 0..4). */
export const WORDPIECE_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS =
  'the of and to in is was for on that with as it by at from this be are or an not which have has but ' +
  'cat dog sky blue red green paris france city country capital weather sun rain happy sad good bad ' +
  'model signet prompt program answer question text language code data test fast slow big small';

/** Token strings of a small lowercase WordPiece vocabulary, in id order. */
export function buildWordPieceVocab(): string[] {
  const tokens: string[] = [...WORDPIECE_SPECIALS];
  const seen = new Set(tokens);
  const add = (token: string): void => {
    if (seen.has(token)) return;
    seen.add(token);
    tokens.push(token);
  };
  const singles = 'abcdefghijklmnopqrstuvwxyz0123456789.,!?;:\'"()-_/+*=<>[]{}@#$%&';
  for (const ch of singles) add(ch);
  for (const ch of singles) add(`##${ch}`);
  for (const word of WORDS.split(' ')) add(word);
  for (const suffix of ['s', 'ed', 'ing', 'er', 'ly', 'es', 'tion']) add(`##${suffix}`);
  return tokens;
}

/** The `tokenizer.json` of a BERT-style WordPiece tokenizer (lowercasing, `[CLS] text [SEP]`). */
export function wordPieceTokenizerJson(tokens: readonly string[]): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  const id = (token: string): number => vocab[token] ?? 1;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: WORDPIECE_SPECIALS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** The `tokenizer_config.json` of the tiny encoder. */
export function wordPieceTokenizerConfig(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
    model_max_length: maxLength,
  };
}
