/**
 * A parser for the subset of JavaScript regular expressions that JSON Schema `pattern`s (and zod's
 * generated ones) use: literals, escapes, classes, `.`, groups, alternation, greedy/lazy quantifiers and
 * `^`/`$` at the ends of the pattern. Lookaround, backreferences and word boundaries are rejected with
 * {@link UnsupportedPatternError}; the caller then treats the string as unconstrained.
 * Characters are UTF-16 code units (no `u` flag), restricted to the BMP.
 */

/** A set of code points as sorted, disjoint, inclusive `[lo, hi]` pairs flattened into one array. */
export type CharSet = readonly number[];

/** Parsed regular expression. */
export type RegexNode =
  | { readonly type: 'chars'; readonly set: CharSet }
  | { readonly type: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alt'; readonly options: readonly RegexNode[] }
  | { readonly type: 'repeat'; readonly item: RegexNode; readonly min: number; readonly max: number };

/** A pattern and whether it is anchored at each end. */
export interface ParsedPattern {
  /** The body between the anchors. */
  readonly root: RegexNode;
  /** The pattern starts with `^` (otherwise it may match anywhere: JSON Schema patterns search). */
  readonly anchoredStart: boolean;
  /** The pattern ends with `$`. */
  readonly anchoredEnd: boolean;
}

/** Raised for a construct the grammar engine cannot follow (lookaround, backreferences, ...). */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

const MAX_BMP = 0xffff;
/** Upper bound on a counted repetition, so `{0,100000}` cannot blow up the automaton. */
const MAX_REPEAT = 1000;

export const ANY_CHAR: CharSet = [0, MAX_BMP];
const DIGIT: CharSet = [0x30, 0x39];
const WORD: CharSet = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE: CharSet = normalize([
  9, 13, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);
const DOT: CharSet = complement([0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]);

/** Sorts and merges `[lo, hi]` pairs. */
export function normalize(pairs: readonly number[]): CharSet {
  const ranges: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) ranges.push([pairs[i] ?? 0, pairs[i + 1] ?? 0]);
  ranges.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of ranges) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) out[last] = Math.max(out[last] ?? 0, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Every BMP code point not in `set`. */
export function complement(set: CharSet): CharSet {
  const sorted = normalize(set);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < sorted.length; i += 2) {
    const lo = sorted[i] ?? 0;
    if (lo > next) out.push(next, lo - 1);
    next = (sorted[i + 1] ?? 0) + 1;
  }
  if (next <= MAX_BMP) out.push(next, MAX_BMP);
  return out;
}

/** Parses `source`; throws UnsupportedPatternError for constructs outside the supported subset. */
export function parsePattern(source: string): ParsedPattern {
  let body = source;
  const anchoredStart = body.startsWith('^');
  if (anchoredStart) body = body.slice(1);
  const anchoredEnd = body.endsWith('$') && !body.endsWith('\\$');
  if (anchoredEnd) body = body.slice(0, -1);
  const parser = new Parser(body);
  const root = parser.alternation();
  if (!parser.done()) throw new UnsupportedPatternError(`unexpected "${parser.peek()}" in /${source}/`);
  return { root, anchoredStart, anchoredEnd };
}

class Parser {
  #pos = 0;
  readonly #src: string;
  constructor(src: string) {
    this.#src = src;
  }

  done(): boolean {
    return this.#pos >= this.#src.length;
  }

  peek(): string {
    return this.#src[this.#pos] ?? '';
  }

  #take(): string {
    const ch = this.#src[this.#pos];
    if (ch === undefined) throw new UnsupportedPatternError('unexpected end of pattern');
    this.#pos++;
    return ch;
  }

  alternation(): RegexNode {
    const options = [this.#sequence()];
    while (this.peek() === '|') {
      this.#pos++;
      options.push(this.#sequence());
    }
    return options.length === 1 ? (options[0] as RegexNode) : { type: 'alt', options };
  }

  #sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (!this.done() && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.#quantified(this.#atom()));
    }
    return items.length === 1 ? (items[0] as RegexNode) : { type: 'seq', items };
  }

  #quantified(item: RegexNode): RegexNode {
    let node = item;
    for (;;) {
      const ch = this.peek();
      let range: [number, number] | undefined;
      if (ch === '*') range = [0, Number.POSITIVE_INFINITY];
      else if (ch === '+') range = [1, Number.POSITIVE_INFINITY];
      else if (ch === '?') range = [0, 1];
      else if (ch === '{') range = this.#counted();
      if (range === undefined) return node;
      if (ch !== '{') this.#pos++;
      if (this.peek() === '?') this.#pos++; // lazy: the same language
      const [min, max] = range;
      if (min > MAX_REPEAT || (max !== Number.POSITIVE_INFINITY && max > MAX_REPEAT)) {
        throw new UnsupportedPatternError(`repetition {${min},${max}} is too large`);
      }
      node = { type: 'repeat', item: node, min, max };
    }
  }

  #counted(): [number, number] | undefined {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#src.slice(this.#pos));
    if (match === null) return undefined; // a literal "{"
    this.#pos += match[0].length;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
    if (max < min) throw new UnsupportedPatternError(`bad repetition ${match[0]}`);
    return [min, max];
  }

  #atom(): RegexNode {
    const ch = this.#take();
    switch (ch) {
      case '(':
        return this.#group();
      case '[':
        return { type: 'chars', set: this.#charClass() };
      case '.':
        return { type: 'chars', set: DOT };
      case '\\':
        return { type: 'chars', set: this.#escape(false) };
      case '^':
      case '$':
        throw new UnsupportedPatternError(`anchor "${ch}" inside the pattern is not supported`);
      case '*':
      case '+':
      case '?':
        throw new UnsupportedPatternError(`nothing to repeat before "${ch}"`);
      default:
        return literal(ch.charCodeAt(0));
    }
  }

  #group(): RegexNode {
    if (this.peek() === '?') {
      const head = this.#src.slice(this.#pos, this.#pos + 3);
      if (head.startsWith('?:')) this.#pos += 2;
      else if (head.startsWith('?<') && head !== '?<=' && head !== '?<!') {
        const close = this.#src.indexOf('>', this.#pos);
        if (close < 0) throw new UnsupportedPatternError('unterminated group name');
        this.#pos = close + 1;
      } else throw new UnsupportedPatternError(`group "(${head}" (lookaround) is not supported`);
    }
    const inner = this.alternation();
    if (this.#take() !== ')') throw new UnsupportedPatternError('unbalanced parenthesis');
    return inner;
  }

  #charClass(): CharSet {
    const negated = this.peek() === '^';
    if (negated) this.#pos++;
    const pairs: number[] = [];
    // As in JavaScript, `[]` matches nothing and `[^]` matches everything.
    while (this.peek() !== ']') {
      const lo = this.#classAtom();
      if (this.peek() === '-' && this.#src[this.#pos + 1] !== ']' && lo.length === 2 && lo[0] === lo[1]) {
        this.#pos++;
        const hi = this.#classAtom();
        if (hi.length !== 2 || hi[0] !== hi[1] || (hi[0] ?? 0) < (lo[0] ?? 0)) {
          throw new UnsupportedPatternError('bad range in character class');
        }
        pairs.push(lo[0] ?? 0, hi[0] ?? 0);
      } else pairs.push(...lo);
    }
    this.#take(); // ]
    const set = normalize(pairs);
    return negated ? complement(set) : set;
  }

  #classAtom(): CharSet {
    const ch = this.#take();
    if (ch === '\\') return this.#escape(true);
    return [ch.charCodeAt(0), ch.charCodeAt(0)];
  }

  #escape(inClass: boolean): CharSet {
    const ch = this.#take();
    switch (ch) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 'n':
        return [10, 10];
      case 'r':
        return [13, 13];
      case 't':
        return [9, 9];
      case 'f':
        return [12, 12];
      case 'v':
        return [11, 11];
      case '0':
        return [0, 0];
      case 'b':
        if (inClass) return [8, 8];
        throw new UnsupportedPatternError('word boundary \\b is not supported');
      case 'x':
        return this.#hex(2);
      case 'u':
        return this.#hex(4);
      default:
        if (/[1-9BkpPc]/.test(ch)) throw new UnsupportedPatternError(`escape \\${ch} is not supported`);
        return [ch.charCodeAt(0), ch.charCodeAt(0)];
    }
  }

  #hex(digits: number): CharSet {
    const text = this.#src.slice(this.#pos, this.#pos + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text))
      throw new UnsupportedPatternError('bad hex escape');
    this.#pos += digits;
    const code = Number.parseInt(text, 16);
    return [code, code];
  }
}

function literal(code: number): RegexNode {
  return { type: 'chars', set: [code, code] };
}
