import { SignetError } from '../errors/signet-error.ts';

/** How token strings map to bytes. */
export type TokenizerFamily = 'byte-level' | 'sentencepiece' | 'plain';

/** Every token of a tokenizer as the bytes it contributes to the decoded text. */
export interface TokenVocabulary {
  /** Number of token ids (highest id + 1). */
  readonly size: number;
  /** Bytes of each token id; undefined for special, added, empty or unknown tokens (never allowed as content). */
  readonly tokenBytes: readonly (Uint8Array | undefined)[];
  /** End-of-sequence ids: allowed only when the document is complete. */
  readonly eosTokenIds: readonly number[];
  /** How token strings were mapped to bytes. */
  readonly family: TokenizerFamily;
}

/** Options for reading a tokenizer. */
export interface VocabularyOptions {
  /** End-of-sequence ids (e.g. the model's generation_config `eos_token_id`); wins over `eosTokens`. */
  readonly eosTokenIds?: readonly number[];
  /** End-of-sequence token strings (e.g. `</s>`, `<|im_end|>`). Default: the config's `eos_token`, else common names. */
  readonly eosTokens?: readonly string[];
  /** The `tokenizer_config.json` contents (for `eos_token`). */
  readonly tokenizerConfig?: unknown;
  /** Allow non-special added tokens as content (as their literal text). Default false. */
  readonly includeAddedTokens?: boolean;
}

type Json = Record<string, unknown>;

const COMMON_EOS = [
  '</s>',
  '<|endoftext|>',
  '<|im_end|>',
  '<|eot_id|>',
  '<|end_of_text|>',
  '<eos>',
  '<|end|>',
];
const BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;
const encoder = new TextEncoder();

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GPT-2's byte -> printable character table, inverted: character -> byte. */
function unicodeToByte(): Map<string, number> {
  const printable = new Set<number>();
  for (let b = 0x21; b <= 0x7e; b++) printable.add(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.add(b);
  for (let b = 0xae; b <= 0xff; b++) printable.add(b);
  const map = new Map<string, number>();
  let extra = 0;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable.has(b) ? b : 256 + extra++), b);
  return map;
}

/** All component types of a (possibly `Sequence`) decoder or pre-tokenizer, with their settings. */
function components(value: unknown): Json[] {
  if (!isJson(value)) return [];
  const nested = value.decoders ?? value.pretokenizers ?? value.normalizers;
  return Array.isArray(nested) ? nested.flatMap(components) : [value];
}

function detectFamily(json: Json, model: Json): TokenizerFamily {
  const parts = [...components(json.decoder), ...components(json.pre_tokenizer)];
  if (parts.some((p) => p.type === 'ByteLevel')) return 'byte-level';
  const metaspace = parts.some(
    (p) =>
      p.type === 'Metaspace' ||
      p.type === 'ByteFallback' ||
      (p.type === 'Replace' && JSON.stringify(p).includes('▁')),
  );
  if (model.byte_fallback === true || metaspace || model.type === 'Unigram') return 'sentencepiece';
  if (model.type === 'WordPiece') {
    throw new SignetError(
      'SIGNET_MODEL_INVALID',
      'WordPiece tokenizers (BERT-style encoders) cannot drive typed decoding; use a causal LM with a byte-level BPE or SentencePiece tokenizer',
    );
  }
  return 'plain';
}

function vocabEntries(model: Json): [string, number][] {
  if (Array.isArray(model.vocab)) {
    return model.vocab.flatMap((entry, id): [string, number][] =>
      Array.isArray(entry) && typeof entry[0] === 'string' ? [[entry[0], id]] : [],
    );
  }
  if (isJson(model.vocab)) {
    return Object.entries(model.vocab).filter((e): e is [string, number] => typeof e[1] === 'number');
  }
  throw new SignetError(
    'SIGNET_MODEL_INVALID',
    'tokenizer.json has no model.vocab; re-export the tokenizer with 🤗 tokenizers',
  );
}

function tokenToBytes(
  token: string,
  family: TokenizerFamily,
  table: Map<string, number>,
  space: string,
): Uint8Array | undefined {
  if (family === 'byte-level') {
    const bytes: number[] = [];
    for (const ch of token) {
      const byte = table.get(ch);
      if (byte !== undefined) bytes.push(byte);
      else bytes.push(...encoder.encode(ch));
    }
    return Uint8Array.from(bytes);
  }
  if (family === 'sentencepiece') {
    const byte = BYTE_PIECE.exec(token);
    if (byte !== null) return Uint8Array.of(Number.parseInt(byte[1] as string, 16));
    return encoder.encode(token.replaceAll(space, ' '));
  }
  return encoder.encode(token);
}

function eosFromConfig(config: unknown): string | undefined {
  if (!isJson(config)) return undefined;
  const eos = config.eos_token;
  if (typeof eos === 'string') return eos;
  return isJson(eos) && typeof eos.content === 'string' ? eos.content : undefined;
}

/**
 * Reads the byte sequence of every token from a `tokenizer.json` (🤗 tokenizers format): byte-level BPE
 * (GPT-2, Qwen, Llama 3: the GPT-2 byte <-> unicode table), SentencePiece-style BPE or Unigram with
 * byte fallback (Llama 2, Mistral: `▁` is a space, `<0xNN>` is one raw byte), or plain UTF-8 pieces.
 * Special and added tokens are not content; EOS ids come from the options or the config.
 */
export function vocabularyFromTokenizerJson(
  tokenizerJson: unknown,
  options: VocabularyOptions = {},
): TokenVocabulary {
  if (!isJson(tokenizerJson) || !isJson(tokenizerJson.model)) {
    throw new SignetError('SIGNET_MODEL_INVALID', 'tokenizer.json must be an object with a "model" section');
  }
  const model = tokenizerJson.model;
  const family = detectFamily(tokenizerJson, model);
  const metaspace = [...components(tokenizerJson.decoder), ...components(tokenizerJson.pre_tokenizer)].find(
    (p) => p.type === 'Metaspace',
  );
  const space = typeof metaspace?.replacement === 'string' ? metaspace.replacement : '▁';
  const table = unicodeToByte();
  const tokenBytes: (Uint8Array | undefined)[] = [];
  const ids = new Map<string, number>();
  for (const [token, id] of vocabEntries(model)) {
    ids.set(token, id);
    const bytes = tokenToBytes(token, family, table, space);
    tokenBytes[id] = bytes !== undefined && bytes.length > 0 ? bytes : undefined;
  }
  if (typeof model.unk_id === 'number') tokenBytes[model.unk_id] = undefined;
  if (typeof model.unk_token === 'string') {
    const unk = ids.get(model.unk_token);
    if (unk !== undefined) tokenBytes[unk] = undefined;
  }
  const added = Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens.filter(isJson) : [];
  for (const token of added) {
    if (typeof token.id !== 'number' || typeof token.content !== 'string') continue;
    ids.set(token.content, token.id);
    const usable = options.includeAddedTokens === true && token.special !== true && token.content.length > 0;
    tokenBytes[token.id] = usable ? encoder.encode(token.content) : undefined;
  }
  const size = tokenBytes.length;
  for (let id = 0; id < size; id++) if (!(id in tokenBytes)) tokenBytes[id] = undefined;
  let eosTokenIds = options.eosTokenIds;
  if (eosTokenIds === undefined) {
    const configured =
      options.eosTokens ?? [eosFromConfig(options.tokenizerConfig)].filter((t) => t !== undefined);
    const names = configured.length > 0 ? configured : COMMON_EOS;
    eosTokenIds = names.flatMap((name) => {
      const id = ids.get(name);
      return id === undefined ? [] : [id];
    });
  }
  if (eosTokenIds.length === 0) {
    throw new SignetError(
      'SIGNET_MODEL_INVALID',
      'no end-of-sequence token found; pass eosTokenIds from the model config',
    );
  }
  for (const id of eosTokenIds) tokenBytes[id] = undefined;
  return { size, tokenBytes, eosTokenIds: [...eosTokenIds], family };
}

/** The transformers.js tokenizer fields this module reads (its constructor keeps both JSON documents). */
interface TokenizerLike {
  readonly _tokenizerJSON?: unknown;
  readonly _tokenizerConfig?: unknown;
}

/** Reads a loaded transformers.js `PreTrainedTokenizer` (its tokenizer.json and config). */
export function vocabularyFromTokenizer(
  tokenizer: unknown,
  options: VocabularyOptions = {},
): TokenVocabulary {
  // transformers.js tokenizers are callable objects (functions), so `typeof` may be 'function'.
  const present = (typeof tokenizer === 'object' || typeof tokenizer === 'function') && tokenizer !== null;
  const like = (present ? tokenizer : {}) as TokenizerLike;
  if (like._tokenizerJSON === undefined) {
    throw new SignetError(
      'SIGNET_MODEL_INVALID',
      'the tokenizer does not expose its tokenizer.json; load it with transformers.js',
    );
  }
  return vocabularyFromTokenizerJson(like._tokenizerJSON, {
    tokenizerConfig: like._tokenizerConfig,
    ...options,
  });
}

/** A vocabulary from explicit token texts or bytes (undefined entries are never content). */
export function vocabularyFromTokens(
  tokens: readonly (string | Uint8Array | undefined)[],
  eosTokenIds: readonly number[],
): TokenVocabulary {
  const tokenBytes = tokens.map((token) => {
    const bytes = typeof token === 'string' ? encoder.encode(token) : token;
    return bytes !== undefined && bytes.length > 0 ? bytes : undefined;
  });
  for (const id of eosTokenIds) tokenBytes[id] = undefined;
  return {
    size: Math.max(tokens.length, ...eosTokenIds.map((id) => id + 1)),
    tokenBytes,
    eosTokenIds: [...eosTokenIds],
    family: 'plain',
  };
}
