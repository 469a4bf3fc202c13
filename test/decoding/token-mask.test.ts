import { describe, expect, it } from 'vitest';
import { extractEntities, extractInvoice } from '../../signatures/index.ts';
import {
  advanceBytes,
  compileJsonSchemaGrammar,
  createConstrainedDecoder,
  createTokenMasker,
  type JsonGrammar,
  TokenMask,
} from '../../src/decoding/index.ts';
import { createSeededRandom } from '../../src/testing/tiny-models/seeded-random.ts';
import { bruteForceAllowed, tokenId, tokenizerFixtures } from './decoding-fixtures.ts';

const fixtures = tokenizerFixtures(3000);
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function stateAfter(grammar: JsonGrammar, text: string) {
  const state = advanceBytes(grammar, grammar.initial, encode(text));
  if (state === undefined) throw new Error(`grammar rejects ${text}`);
  return state;
}

/** Bytes given as hex pairs, e.g. "c3 a9". */
const hex = (pairs: string): Uint8Array =>
  Uint8Array.from(pairs.split(' ').map((p) => Number.parseInt(p, 16)));

describe.each(fixtures)('token masks ($name)', ({ vocabulary, trie }) => {
  it('equals the brute-force set (every token fed byte by byte) along random walks', () => {
    const random = createSeededRandom(3);
    const bounded = {
      type: 'object',
      properties: {
        text: { type: 'string', minLength: 3, maxLength: 12 },
        list: { type: 'array', items: { type: 'integer', minimum: -5 }, minItems: 1, maxItems: 4 },
        code: { type: 'string', pattern: '^[a-c]{2,6}$', maxLength: 5 },
      },
      required: ['text', 'list', 'code'],
    };
    const schemas = [extractInvoice.jsonSchema().output, extractEntities.jsonSchema().output, {}, bounded];
    for (const schema of schemas) {
      const grammar = compileJsonSchemaGrammar(schema);
      const masker = createTokenMasker(grammar, trie);
      const decoder = createConstrainedDecoder(masker);
      for (let step = 0; step < 60 && !decoder.isFinished; step++) {
        const mask = decoder.mask();
        expect(mask.toArray(), decoder.text).toEqual(bruteForceAllowed(grammar, decoder.state, vocabulary));
        const allowed = mask.toArray();
        decoder.accept(allowed[Math.floor(random.next() * allowed.length)] as number);
      }
    }
  });

  it('serves repeated states from the cache with identical results', () => {
    const grammar = compileJsonSchemaGrammar({ type: 'array', items: { type: 'string' } });
    const masker = createTokenMasker(grammar, trie);
    const first = masker.contentMask(stateAfter(grammar, '["a'));
    const second = masker.contentMask(stateAfter(grammar, '["xyz","b'));
    expect(second).toBe(first);
    expect(masker.stats()).toMatchObject({ hits: 1, misses: 1 });
    // A string with a length limit keeps separate entries while the limit is within a token's reach.
    const limited = compileJsonSchemaGrammar({ type: 'string', maxLength: 4 });
    const limitedMasker = createTokenMasker(limited, trie);
    const short = limitedMasker.contentMask(stateAfter(limited, '"abc'));
    const shorter = limitedMasker.contentMask(stateAfter(limited, '"a'));
    expect(short.count()).toBeLessThan(shorter.count());
  });
});

function allowedAfter(trie: (typeof fixtures)[number]['trie'], schema: unknown, text: string) {
  const grammar = compileJsonSchemaGrammar(schema);
  return createTokenMasker(grammar, trie).contentMask(stateAfter(grammar, text));
}

describe('tokens that cross JSON structure (byte-level BPE)', () => {
  const { vocabulary, trie } = fixtures[0] as (typeof fixtures)[number];
  const object = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'array' } },
    required: ['a'],
  };

  it('lets one token end a string and the object (`"}`), but not where the object cannot end', () => {
    expect(allowedAfter(trie, object, '{"a":"x').has(tokenId(vocabulary, '"}'))).toBe(true);
    const required = { ...object, required: ['a', 'b'] };
    expect(allowedAfter(trie, required, '{"a":"x').has(tokenId(vocabulary, '"}'))).toBe(false);
  });

  it('lets `":"` close a key, cross the colon and open a string value only where that fits', () => {
    expect(allowedAfter(trie, object, '{"a').has(tokenId(vocabulary, '":"'))).toBe(true);
    const numeric = { type: 'object', properties: { a: { type: 'number' } } };
    expect(allowedAfter(trie, numeric, '{"a').has(tokenId(vocabulary, '":"'))).toBe(false);
  });

  it('allows the pieces of a \\u00e9 escape and of a raw é split across tokens', () => {
    const text = { type: 'string' };
    expect(allowedAfter(trie, text, '"').has(tokenId(vocabulary, '\\u00'))).toBe(true);
    const split = allowedAfter(trie, text, '"caf');
    expect(split.has(tokenId(vocabulary, hex('c3')))).toBe(true);
    const grammar = compileJsonSchemaGrammar(text);
    const afterLead = advanceBytes(grammar, stateAfter(grammar, '"caf'), hex('c3'));
    if (afterLead === undefined) throw new Error('é starts with c3');
    const next = createTokenMasker(grammar, trie).contentMask(afterLead);
    expect(next.has(tokenId(vocabulary, hex('a9')))).toBe(true);
    expect(next.has(tokenId(vocabulary, 'a'))).toBe(false);
    expect(next.has(tokenId(vocabulary, '"'))).toBe(false);
  });

  it('allows exponent pieces (`e-`, `E+`) and `[]` where the grammar does', () => {
    const numbers = { type: 'array', items: { type: 'number' } };
    expect(allowedAfter(trie, numbers, '[1').has(tokenId(vocabulary, 'e-'))).toBe(true);
    expect(allowedAfter(trie, numbers, '[-0.5').has(tokenId(vocabulary, 'E+'))).toBe(true);
    expect(allowedAfter(trie, numbers, '[1e').has(tokenId(vocabulary, 'e-'))).toBe(false);
    const wrapped = { type: 'object', properties: { list: numbers }, required: ['list'] };
    expect(allowedAfter(trie, wrapped, '{"list":').has(tokenId(vocabulary, '[]'))).toBe(true);
    const nonEmpty = {
      type: 'object',
      properties: { list: { ...numbers, minItems: 1 } },
      required: ['list'],
    };
    expect(allowedAfter(trie, nonEmpty, '{"list":').has(tokenId(vocabulary, '[]'))).toBe(false);
  });

  it('keeps an enum label open after a prefix shared with a longer label (low / lower)', () => {
    const labels = { type: 'string', enum: ['low', 'lower'] };
    const afterLow = allowedAfter(trie, labels, '"low');
    expect(afterLow.has(tokenId(vocabulary, '"'))).toBe(true);
    expect(afterLow.has(tokenId(vocabulary, 'er'))).toBe(true);
    expect(afterLow.has(tokenId(vocabulary, 'e'))).toBe(true);
    expect(afterLow.has(tokenId(vocabulary, 'est'))).toBe(false);
  });
});

describe('byte-fallback tokens (SentencePiece)', () => {
  const { vocabulary, trie } = fixtures[1] as (typeof fixtures)[number];

  it('builds a raw é from two byte tokens, and only a continuation byte may follow the first', () => {
    const grammar = compileJsonSchemaGrammar({ type: 'string' });
    const masker = createTokenMasker(grammar, trie);
    const decoder = createConstrainedDecoder(masker);
    const lead = tokenId(vocabulary, hex('c3'));
    expect(vocabulary.tokenBytes[lead]).toEqual(hex('c3'));
    decoder.accept(tokenId(vocabulary, '"'));
    decoder.accept(lead);
    const mask = decoder.mask();
    expect(mask.has(tokenId(vocabulary, hex('a9')))).toBe(true);
    expect(mask.toArray().every((id) => (vocabulary.tokenBytes[id]?.[0] ?? 0) >= 0x80)).toBe(true);
    decoder.accept(tokenId(vocabulary, hex('a9')));
    decoder.accept(tokenId(vocabulary, '"'));
    expect(decoder.text).toBe('"é"');
    expect(decoder.isComplete).toBe(true);
  });

  it('reads ▁ as a space, so `▁"` opens a value after a colon', () => {
    const object = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const grammar = compileJsonSchemaGrammar(object);
    const mask = createTokenMasker(grammar, trie).contentMask(stateAfter(grammar, '{"a":'));
    expect(mask.has(tokenId(vocabulary, ' "'))).toBe(true);
  });
});

describe('TokenMask', () => {
  it.each([0.05, 0.5, 0.97])('applies itself to logits like a per-id check (density %s)', (density) => {
    const random = createSeededRandom(Math.round(density * 100));
    const mask = new TokenMask(1000);
    for (let id = 0; id < 1000; id++) if (random.next() < density) mask.add(id);
    const logits = Float32Array.from({ length: 1010 }, (_, i) => i + 0.5);
    mask.applyToLogits(logits, 0, 1010);
    const expected = Array.from({ length: 1010 }, (_, i) =>
      mask.has(i) ? i + 0.5 : Number.NEGATIVE_INFINITY,
    );
    expect([...logits]).toEqual(expected);
    expect(mask.toArray().length).toBe(mask.count());
  });
});

describe('end of sequence', () => {
  it('is allowed only once the document is complete, and is then the only choice', () => {
    const { vocabulary, trie } = fixtures[0] as (typeof fixtures)[number];
    const grammar = compileJsonSchemaGrammar({ type: 'object', properties: { n: { type: 'integer' } } });
    const decoder = createConstrainedDecoder(createTokenMasker(grammar, trie));
    const eos = vocabulary.eosTokenIds[0] as number;
    for (const piece of ['{"', 'n', '":', '1', '2']) {
      expect(decoder.mask().has(eos), decoder.text).toBe(false);
      decoder.accept(tokenId(vocabulary, piece));
    }
    expect(() => decoder.accept(eos)).toThrow(/EOS before the JSON document was complete/);
    decoder.accept(tokenId(vocabulary, '}'));
    expect(decoder.mask().toArray()).toEqual([eos]);
    decoder.accept(eos);
    expect(decoder.isFinished).toBe(true);
    expect(decoder.mask().toArray()).toEqual([eos]);
    expect(() => decoder.accept(tokenId(vocabulary, ' '))).toThrow(/already ended/);
    expect(JSON.parse(decoder.text)).toEqual({ n: 12 });
  });

  it('rejects a token the grammar does not allow', () => {
    const { vocabulary, trie } = fixtures[0] as (typeof fixtures)[number];
    const grammar = compileJsonSchemaGrammar({ type: 'object' });
    const decoder = createConstrainedDecoder(createTokenMasker(grammar, trie));
    expect(() => decoder.accept(tokenId(vocabulary, '"'))).toThrow(/not allowed here/);
  });
});
