import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractInvoice } from '../../signatures/index.ts';
import {
  compileJsonSchemaGrammar,
  createGrammarCache,
  grammarAccepts,
  grammarForSignature,
} from '../../src/decoding/index.ts';
import { defineSignature, SignetError } from '../../src/index.ts';

const accepts = (schema: unknown, text: string, options = {}): boolean =>
  grammarAccepts(compileJsonSchemaGrammar(schema, options), text);

function thrown(fn: () => unknown): SignetError {
  try {
    fn();
  } catch (error) {
    if (SignetError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a SignetError');
}

describe('compileJsonSchemaGrammar: objects', () => {
  const schema = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'boolean' } },
    required: ['a', 'c'],
    additionalProperties: false,
  };

  it('accepts properties in declared order, with optional ones present or skipped', () => {
    expect(accepts(schema, '{"a":"x","b":1,"c":true}')).toBe(true);
    expect(accepts(schema, '{"a":"x","c":false}')).toBe(true);
  });

  it('rejects missing required properties, reordering, unknown keys and duplicates', () => {
    expect(accepts(schema, '{"a":"x"}')).toBe(false);
    expect(accepts(schema, '{"c":true,"a":"x"}')).toBe(false);
    expect(accepts(schema, '{"a":"x","d":1,"c":true}')).toBe(false);
    expect(accepts(schema, '{"a":"x","a":"y","c":true}')).toBe(false);
  });

  it('allows the empty object only when nothing is required', () => {
    expect(accepts({ type: 'object', properties: { a: { type: 'string' } } }, '{}')).toBe(true);
    expect(accepts(schema, '{}')).toBe(false);
  });

  it('allows at most maxWhitespace whitespace bytes per gap and none around the document', () => {
    expect(accepts(schema, '{ "a": "x", "c": true }')).toBe(true);
    expect(accepts(schema, '{\n"a" :"x",\n"c":true\n}')).toBe(true);
    expect(accepts(schema, '{"a":  "x","c":true}')).toBe(false);
    expect(accepts(schema, ' {"a":"x","c":true}')).toBe(false);
    expect(accepts(schema, '{"a":"x","c":true} ')).toBe(false);
    expect(accepts(schema, '{"a":"x", "c":true}', { maxWhitespace: 0 })).toBe(false);
    expect(accepts(schema, '{\n  "a": "x",\n  "c": true\n}', { maxWhitespace: 3 })).toBe(true);
  });

  it('follows nested objects and free-form objects (additionalProperties schemas)', () => {
    const nested = {
      type: 'object',
      properties: { inner: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } },
      required: ['inner'],
    };
    expect(accepts(nested, '{"inner":{"n":-1.5}}')).toBe(true);
    expect(accepts(nested, '{"inner":{}}')).toBe(false);
    const record = { type: 'object', additionalProperties: { type: 'integer' } };
    expect(accepts(record, '{"any key":1,"é":2}')).toBe(true);
    expect(accepts(record, '{"k":"v"}')).toBe(false);
  });
});

describe('compileJsonSchemaGrammar: strings', () => {
  const plain = { type: 'string' };

  it('accepts every JSON escape, raw multi-byte UTF-8 and surrogate pairs given as escapes', () => {
    expect(accepts(plain, '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC"')).toBe(true);
    expect(accepts(plain, '"café 中文 😀"')).toBe(true);
    expect(accepts(plain, '"\\ud83d\\ude00"')).toBe(true);
  });

  it('rejects raw control characters, bad escapes and lone surrogates', () => {
    expect(accepts(plain, '"a\nb"')).toBe(false);
    expect(accepts(plain, '"\\x41"')).toBe(false);
    expect(accepts(plain, '"\\ud83d"')).toBe(false);
    expect(accepts(plain, '"\\ude00"')).toBe(false);
  });

  it('rejects invalid UTF-8 byte by byte (overlongs, encoded surrogates, stray continuations)', () => {
    const grammar = compileJsonSchemaGrammar(plain);
    const open = grammar.advance(grammar.initial, 0x22);
    if (open === undefined) throw new Error('a string starts with a quote');
    for (const bad of [[0xc0], [0x80], [0xed, 0xa0], [0xe0, 0x80], [0xf4, 0x90], [0xf5]]) {
      let state: typeof open | undefined = open;
      for (const byte of bad) state = state === undefined ? undefined : grammar.advance(state, byte);
      expect(state, bad.join(',')).toBeUndefined();
    }
  });

  it('counts maxLength in UTF-16 units and minLength in code points, as zod and JSON Schema do', () => {
    const bounded = { type: 'string', minLength: 2, maxLength: 3 };
    expect(accepts(bounded, '"ab"')).toBe(true);
    expect(accepts(bounded, '"abc"')).toBe(true);
    expect(accepts(bounded, '"a"')).toBe(false);
    expect(accepts(bounded, '"abcd"')).toBe(false);
    expect(accepts(bounded, '"\\u00e9\\n"')).toBe(true);
    expect(accepts(bounded, '"a😀"')).toBe(true); // 3 units, 2 code points
    expect(accepts(bounded, '"😀😀"')).toBe(false); // 4 units
    expect(accepts(bounded, '"😀"')).toBe(false); // 1 code point
  });

  it('enforces patterns and the formats zod emits (date, date-time, email, uri)', () => {
    expect(accepts({ type: 'string', pattern: '^INV-\\d+$' }, '"INV-42"')).toBe(true);
    expect(accepts({ type: 'string', pattern: '^INV-\\d+$' }, '"INV-"')).toBe(false);
    expect(accepts({ type: 'string', pattern: 'ab' }, '"xxabyy"')).toBe(true);
    const date = z.toJSONSchema(z.iso.date());
    expect(accepts(date, '"2024-02-29"')).toBe(true);
    expect(accepts(date, '"2023-02-29"')).toBe(false);
    expect(accepts(date, '"2024-02-2\\u0039"')).toBe(true);
    expect(accepts({ type: 'string', format: 'date-time' }, '"2024-01-31T23:59:59.5+02:00"')).toBe(true);
    expect(accepts({ type: 'string', format: 'uri' }, '"https://example.com/a?b=c"')).toBe(true);
    expect(accepts({ type: 'string', format: 'uri' }, '"not a url"')).toBe(false);
    expect(accepts(z.toJSONSchema(z.email()), '"a.b@example.org"')).toBe(true);
  });

  it('warns instead of failing for patterns it cannot follow', () => {
    const grammar = compileJsonSchemaGrammar({ type: 'string', pattern: '^(?=a)\\w+$' });
    expect(grammar.warnings.map((w) => w.message).join()).toMatch(/not enforced/);
    expect(grammarAccepts(grammar, '"anything"')).toBe(true);
  });
});

describe('compileJsonSchemaGrammar: numbers, literals, arrays, unions', () => {
  it('accepts the JSON number syntax with fractions and exponents, and rejects the rest', () => {
    for (const good of ['0', '-0', '1e-5', '-0.5E+3', '12.25', '1E5', '0.0']) {
      expect(accepts({ type: 'number' }, good), good).toBe(true);
    }
    for (const bad of ['01', '+1', '.5', '1.', '1e', '-', '1e+', '0x1', 'NaN']) {
      expect(accepts({ type: 'number' }, bad), bad).toBe(false);
    }
  });

  it('writes integers without fraction or exponent', () => {
    expect(accepts({ type: 'integer' }, '-42')).toBe(true);
    expect(accepts({ type: 'integer' }, '1.0')).toBe(false);
    expect(accepts({ type: 'integer' }, '1e2')).toBe(false);
  });

  it('enforces bounds exactly, exclusive ones included', () => {
    const unit = { type: 'number', minimum: 0, maximum: 1 };
    expect(accepts(unit, '1')).toBe(true);
    expect(accepts(unit, '0.999e0')).toBe(true);
    expect(accepts(unit, '5e-1')).toBe(true);
    expect(accepts(unit, '1.0000001')).toBe(false);
    expect(accepts(unit, '-0.1')).toBe(false);
    expect(accepts(unit, '2e-1')).toBe(true);
    expect(accepts({ type: 'number', exclusiveMinimum: 0 }, '0')).toBe(false);
    expect(accepts({ type: 'number', exclusiveMinimum: 0 }, '1e-300')).toBe(true);
    expect(accepts({ type: 'integer', minimum: 3, maximum: 12 }, '12')).toBe(true);
    expect(accepts({ type: 'integer', minimum: 3, maximum: 12 }, '13')).toBe(false);
    expect(accepts({ type: 'number' }, '1e309')).toBe(false); // would parse to Infinity
  });

  it('matches enum labels exactly, prefixes and escaped quotes included', () => {
    const labels = { type: 'string', enum: ['low', 'lower', 'say "hi"', 'é'] };
    for (const label of ['low', 'lower', 'say "hi"', 'é']) {
      expect(accepts(labels, JSON.stringify(label)), label).toBe(true);
    }
    expect(accepts(labels, '"lo"')).toBe(false);
    expect(accepts(labels, '"lowest"')).toBe(false);
    expect(accepts({ enum: [1, 12, null] }, '12')).toBe(true);
    expect(accepts({ type: 'boolean' }, 'true')).toBe(true);
    expect(accepts({ type: 'null' }, 'null')).toBe(true);
  });

  it('follows arrays: empty ones, item schemas, minItems/maxItems and prefixItems', () => {
    const list = { type: 'array', items: { type: 'integer' }, minItems: 0, maxItems: 2 };
    expect(accepts(list, '[]')).toBe(true);
    expect(accepts(list, '[1, 2]')).toBe(true);
    expect(accepts(list, '[1,2,3]')).toBe(false);
    expect(accepts({ type: 'array', items: { type: 'string' }, minItems: 1 }, '[]')).toBe(false);
    expect(accepts(z.toJSONSchema(z.tuple([z.string(), z.number()])), '["a",1]')).toBe(true);
    expect(accepts(z.toJSONSchema(z.tuple([z.string(), z.number()])), '["a",1,2]')).toBe(false);
  });

  it('follows anyOf, type lists, recursive $ref and unknown (any JSON) values', () => {
    const union = z.toJSONSchema(z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]));
    expect(accepts(union, '{"a":"x"}')).toBe(true);
    expect(accepts(union, '{"b":2}')).toBe(true);
    expect(accepts(union, '{"c":2}')).toBe(false);
    expect(accepts({ type: ['string', 'null'] }, 'null')).toBe(true);
    const json = z.toJSONSchema(z.object({ payload: z.json() }));
    expect(accepts(json, '{"payload":{"a":[1,"x",{"b":null}],"c":true}}')).toBe(true);
    expect(accepts({}, '[{"deep":[[[]]]}]')).toBe(true);
  });
});

describe('compileJsonSchemaGrammar: errors, warnings and caching', () => {
  it('throws SIGNET_SIGNATURE_INVALID for schemas no value satisfies', () => {
    for (const schema of [
      false,
      { type: 'string', minLength: 3, maxLength: 2 },
      { type: 'integer', minimum: 0.2, maximum: 0.8 },
      { enum: [] },
      { type: 'array', minItems: 3, maxItems: 1 },
    ]) {
      expect(thrown(() => compileJsonSchemaGrammar(schema)).code).toBe('SIGNET_SIGNATURE_INVALID');
    }
  });

  it('reports keywords it does not enforce as warnings', () => {
    const grammar = compileJsonSchemaGrammar({ type: 'number', multipleOf: 0.5 });
    expect(grammar.warnings).toEqual([{ path: '#', message: '"multipleOf" is not enforced while decoding' }]);
  });

  it('shares one compiled grammar for equal schemas whatever their key order', () => {
    const cache = createGrammarCache();
    const first = cache.get({ type: 'object', properties: { a: { type: 'string' } } });
    const second = cache.get({ properties: { a: { type: 'string' } }, type: 'object' });
    expect(second).toBe(first);
    expect(cache.get({ type: 'object', properties: { a: { type: 'number' } } })).not.toBe(first);
  });

  it('compiles a signature from its output JSON Schema', () => {
    const grammar = grammarForSignature(extractInvoice);
    expect(grammar.warnings).toEqual([]);
    const signature = defineSignature({
      name: 'label-it',
      version: '1.0.0',
      signature: 'productReview:string -> sentimentLabel:class "good, bad", starRating:number',
    });
    const text = '{"sentimentLabel":"good","starRating":4.5}';
    expect(grammarAccepts(grammarForSignature(signature), text)).toBe(true);
    expect(signature.parseOutput(text).ok).toBe(true);
  });
});
