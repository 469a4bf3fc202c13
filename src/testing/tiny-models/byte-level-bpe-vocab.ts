/** A byte-level BPE vocabulary: tokens in id order, the merges that build them, and special tokens. */
export interface ByteLevelBpeVocab {
  /** Token strings indexed by id (ids 0..255 are the 256 bytes, in byte order). */
  readonly tokens: readonly string[];
  /** Merge rules in rank order; each joins two existing tokens into a new one. */
  readonly merges: readonly (readonly [string, string])[];
  /** Special tokens with their ids; they are the last ids of the vocabulary. */
  readonly specials: Readonly<Record<string, number>>;
}

/** Special tokens every tiny causal LM carries: end of text plus ChatML turn markers. */
export const TINY_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** A few common English merges (`left+right`, in rank order), so real words take fewer tokens than bytes. */
const COMMON_MERGES: readonly (readonly [string, string])[] = (
  'Ġ+t Ġ+a h+e i+n r+e o+n Ġt+he e+r Ġ+s a+t Ġ+w Ġ+o e+n Ġ+c i+t i+s a+n o+r e+s Ġ+b e+d Ġ+f ' +
  'in+g Ġ+p o+u Ġa+n a+l a+r Ġt+o Ġ+m Ġo+f Ġ+in Ġ+d Ġ+h Ġan+d i+c a+s l+e Ġt+h i+on o+m l+l ' +
  'en+t Ġ+n Ġ+l s+t Ġ+re v+e Ġ+e r+o l+y Ġb+e Ġ+g Ġ+T c+t Ġ+S i+d o+t Ġ+I u+t e+t Ġ+A Ġ+is ' +
  'Ġ+on'
)
  .split(' ')
  .map((pair) => {
    const [left = '', right = ''] = pair.split('+');
    return [left, right] as const;
  });

/**
 * GPT-2's reversible byte -> printable character map: printable Latin-1 bytes map to themselves,
 * the rest to code points from 256 up (so a space becomes `Ġ` and a newline `Ċ`).
 */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const isPrintable = new Set(printable);
  const table: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table.push(String.fromCodePoint(isPrintable.has(b) ? b : 256 + extra++));
  }
  return table;
}

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';

/** Yields synthetic merges level by level: `Ġx`, then every known token extended by one letter. */
function* syntheticMerges(): Generator<readonly [string, string]> {
  let level: string[] = [];
  for (const letter of LOWERCASE) {
    yield ['Ġ', letter];
    level.push(`Ġ${letter}`);
  }
  level.push(...LOWERCASE);
  while (true) {
    const next: string[] = [];
    for (const stem of level) {
      for (const letter of LOWERCASE) {
        yield [stem, letter];
        next.push(stem + letter);
      }
    }
    level = next;
  }
}

/**
 * Builds a valid byte-level BPE vocabulary of exactly `vocabSize` tokens: 256 bytes, common English
 * merges, synthetic merges to fill the rest, then the special tokens.
 */
export function buildByteLevelBpeVocab(
  vocabSize: number,
  specials: readonly string[] = TINY_SPECIAL_TOKENS,
): ByteLevelBpeVocab {
  const minimum = 256 + specials.length;
  if (!Number.isInteger(vocabSize) || vocabSize < minimum) {
    throw new RangeError(
      `vocabSize must be an integer >= ${minimum} (256 bytes + ${specials.length} specials)`,
    );
  }
  const tokens = byteToUnicode();
  const known = new Set(tokens);
  const merges: (readonly [string, string])[] = [];
  const mergeBudget = vocabSize - minimum;
  const tryMerge = (pair: readonly [string, string]): void => {
    const joined = pair[0] + pair[1];
    if (!known.has(pair[0]) || !known.has(pair[1]) || known.has(joined)) return;
    known.add(joined);
    tokens.push(joined);
    merges.push(pair);
  };
  for (const pair of COMMON_MERGES) {
    if (merges.length >= mergeBudget) break;
    tryMerge(pair);
  }
  const synthetic = syntheticMerges();
  while (merges.length < mergeBudget) {
    const step = synthetic.next();
    if (step.done === true) break;
    tryMerge(step.value);
  }
  const specialIds: Record<string, number> = {};
  for (const special of specials) {
    specialIds[special] = tokens.length;
    tokens.push(special);
  }
  return { tokens, merges, specials: specialIds };
}
