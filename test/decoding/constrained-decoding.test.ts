import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../signatures/index.ts';
import { createTokenMasker, grammarForSignature } from '../../src/decoding/index.ts';
import { defineSignature, type Signature } from '../../src/index.ts';
import { runRandomModel, tokenizerFixtures } from './decoding-fixtures.ts';

const edgeCases = defineSignature({
  name: 'edge-cases',
  version: '1.0.0',
  inputs: z.object({ sourceText: z.string() }),
  outputs: z.object({
    moodLabel: z.enum(['größer', 'say "hi"', '日本', 'low', 'lower', 'back\\slash']),
    ratio: z.number().gt(0).lt(1),
    tinyCount: z.int().min(-3).max(3),
    anyNumber: z.number(),
    shortNote: z.string().min(2).max(5).optional(),
    tagList: z.array(z.string()).max(2),
    emptyList: z.array(z.number()).max(0),
    nested: z.object({ when: z.iso.date(), link: z.url().optional(), mail: z.email() }),
    rows: z.array(z.object({ key: z.string(), flag: z.boolean().optional() })),
    extra: z.json().optional(),
  }),
});

const dslTypes = defineSignature({
  name: 'dsl-types',
  version: '1.0.0',
  signature:
    'userQuestion:string -> dueDate:date, startTime:datetime, homepage?:url, tally:number, verdict:class "yes, no, maybe", isFinal:boolean, notes:string[]',
});

const signatures: readonly Signature[] = [...catalog, edgeCases, dslTypes];

describe.each(tokenizerFixtures(6000))('decoding with a random model ($name)', (fixture) => {
  it.each(signatures.map((signature) => [signature.name, signature] as const))(
    '%s: every generation validates and ends exactly when the object is complete',
    (_name, signature) => {
      const masker = createTokenMasker(grammarForSignature(signature), fixture.trie);
      for (let seed = 1; seed <= 4; seed++) {
        const run = runRandomModel(masker, seed * 7919);
        expect(run.finished, run.text).toBe(true);
        expect(run.eosTooEarly).toBe(0);
        expect(run.contentAfterComplete).toBe(0);
        const parsed = signature.parseOutput(run.text);
        expect(parsed.ok ? [] : parsed.issues, run.text).toEqual([]);
        // The real tokenizer decodes the same tokens to the same text.
        const content = run.tokens.slice(0, -1);
        expect(fixture.tokenizer.decode(content, { skip_special_tokens: true })).toBe(run.text);
      }
    },
  );
});
