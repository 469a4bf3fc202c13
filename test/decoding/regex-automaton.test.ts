import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPattern } from '../../src/decoding/grammar/format-patterns.ts';
import { compileRegex, DEAD, type RegexAutomaton } from '../../src/decoding/regex/regex-automaton.ts';
import { UnsupportedPatternError } from '../../src/decoding/regex/regex-parser.ts';

function matches(automaton: RegexAutomaton, text: string): boolean {
  let state = automaton.initial;
  for (const ch of text) {
    state = automaton.step(state, ch.charCodeAt(0));
    if (state === DEAD) return false;
  }
  return automaton.isAccepting(state);
}

const PATTERNS = [
  '^INV-\\d+$',
  '^[a-c]{2,3}(?:-[^a-c\\s]x?)*$',
  'ab|c.d',
  '^(?:a|bc)+[0-9]?$',
  '^\\w\\W\\s\\S[\\]\\-z]$',
  '^x{0,2}y*$',
  '^[^]?$',
];
const TEXT = fc.string({ unit: fc.constantFrom(...'abcdxyz0129-_ ]\t.INV'), maxLength: 8 });

describe('compileRegex', () => {
  it.each(PATTERNS)('agrees with RegExp on /%s/', (source) => {
    const automaton = compileRegex(source);
    const regex = new RegExp(source);
    fc.assert(
      fc.property(TEXT, (text) => matches(automaton, text) === regex.test(text)),
      { numRuns: 400 },
    );
  });

  it('agrees with zod on the date and time patterns it emits', () => {
    const date = compileRegex(formatPattern('date') ?? '');
    const dateTime = compileRegex(formatPattern('date-time') ?? '');
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(digits, digits, digits, (y, m, d) => {
        const text = `20${y.padStart(2, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
        return matches(date, text) === z.iso.date().safeParse(text).success;
      }),
      { numRuns: 500 },
    );
    expect(matches(dateTime, '2024-02-29T12:00:00Z')).toBe(true);
    expect(z.iso.datetime({ offset: true }).safeParse('2024-02-29T12:00:00.125-03:30').success).toBe(true);
    expect(matches(dateTime, '2024-02-29T12:00:00.125-03:30')).toBe(true);
  });

  it('only matches URLs and emails that zod accepts', () => {
    const uri = compileRegex(formatPattern('uri') ?? '');
    const email = compileRegex(formatPattern('email') ?? '');
    const chars = fc.string({ unit: fc.constantFrom(...'ab9-._~%:/?#@=&+ '), maxLength: 12 });
    fc.assert(
      fc.property(chars, fc.constantFrom('http://', 'https://', 'ftp://', ''), (rest, scheme) => {
        const text = `${scheme}${rest}`;
        return !matches(uri, text) || z.url().safeParse(text).success;
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(chars, (text) => !matches(email, text) || z.email().safeParse(text).success),
      { numRuns: 1000 },
    );
    expect(matches(email, 'first.last+tag@mail.example.org')).toBe(true);
    // fast-check found this one: a numeric last label is read as IPv4, and zod rejects `http://a.9`.
    expect(z.url().safeParse('http://a.9').success).toBe(false);
    expect(matches(uri, 'http://a.9')).toBe(false);
    expect(matches(uri, 'https://api.example.com:8443/v1/items?page=2')).toBe(true);
  });

  it('knows the fewest and most characters still needed', () => {
    const code = compileRegex('^[A-Z]{3}$');
    expect([code.minRemaining(code.initial), code.maxRemaining(code.initial)]).toEqual([3, 3]);
    const open = compileRegex('^a+$');
    expect([open.minRemaining(open.initial), open.maxRemaining(open.initial)]).toEqual([1, Infinity]);
  });

  it('tells whether any character of a range can follow', () => {
    const digits = compileRegex('^\\d+$');
    expect(digits.canStepInRange(digits.initial, 0x30, 0x30)).toBe(true);
    expect(digits.canStepInRange(digits.initial, 0xc0, 0xff)).toBe(false);
  });

  it('rejects lookaround, backreferences and word boundaries as unsupported', () => {
    for (const source of ['^(?=a)a$', '(a)\\1', '\\bword', '^(?<!x)y$', 'a^b']) {
      expect(() => compileRegex(source), source).toThrow(UnsupportedPatternError);
    }
  });
});
