import { describe, expect, it } from 'vitest';
import {
  answerWithCitations,
  catalog,
  createCatalogRegistry,
  critiqueAnswer,
  planSteps,
  rewriteStyle,
  summarize,
} from '../../signatures/index.ts';
import { predict, type Signature, signatureFromJSON } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { axFieldTitle, renderAxReply } from './render-ax-reply.ts';

// Widened once so every test can loop over the catalog without fighting each signature's own types.
const signatures: readonly Signature[] = catalog;
const byName = signatures.map((signature) => [signature.name, signature] as const);

describe('signature catalog', () => {
  it.each(byName)('%s is documented: description, instructions, tags, field descriptions', (_, signature) => {
    expect(signature.version).toBe('1.0.0');
    expect(signature.name).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
    expect(signature.description?.length ?? 0).toBeGreaterThan(20);
    expect(signature.instructions).not.toBe(signature.description);
    expect(signature.instructions?.length ?? 0).toBeGreaterThan(signature.description?.length ?? 0);
    expect(signature.tags.length).toBeGreaterThan(0);
    const undocumented = [...signature.inputs, ...signature.outputs].filter((f) => !f.description);
    expect(undocumented.map((f) => f.name)).toEqual([]);
  });

  it.each(byName)('%s has at least two examples that validate against it unchanged', (_, signature) => {
    expect(signature.examples.length).toBeGreaterThanOrEqual(2);
    for (const example of signature.examples) {
      const inputs = signature.validateInput(example.inputs);
      const outputs = signature.parseOutput(example.outputs);
      expect(inputs).toEqual({ ok: true, value: example.inputs });
      expect(outputs).toEqual({ ok: true, value: example.outputs });
    }
  });

  it.each(byName)('%s survives a JSON round trip with the same hash', (_, signature) => {
    const restored = signatureFromJSON(JSON.stringify(signature.toJSON()));
    expect(restored.hash()).toBe(signature.hash());
  });
});

describe('catalog registry', () => {
  it('registers every catalog signature under a unique name', () => {
    const registry = createCatalogRegistry();
    const names = signatures.map((signature) => signature.name);
    expect(new Set(names).size).toBe(names.length);
    expect(registry.size).toBe(signatures.length);
    expect(registry.size).toBeGreaterThanOrEqual(12);
    expect(registry.list().map((summary) => summary.name)).toEqual([...names].sort());
  });

  it('resolves every signature by name@^1 to the catalog instance', () => {
    const registry = createCatalogRegistry();
    for (const signature of signatures) {
      expect(registry.get(`${signature.name}@^1`)).toBe(signature);
    }
  });

  it('builds an independent registry on each call', () => {
    const first = createCatalogRegistry();
    const second = createCatalogRegistry();
    first.register(signatures[0]?.withVersion('1.1.0') as Signature);
    expect(first.versions('answer-question')).toEqual(['1.1.0', '1.0.0']);
    expect(second.versions('answer-question')).toEqual(['1.0.0']);
  });
});

describe('catalog signatures run through Ax', () => {
  it.each(byName)('%s: the reply helper uses the titles Ax gives its output fields', (_, signature) => {
    const axTitles = signature
      .toAxSignature()
      .getOutputFields()
      .map((field) => field.title);
    expect(signature.outputs.map((field) => axFieldTitle(field.name))).toEqual(axTitles);
  });

  // A reply rendered from the first example must come back as exactly that example's outputs, in one
  // model call (a retry would mean Ax or the output schema rejected it). No field needs special casing:
  // the catalog has no Ax `date`/`datetime` fields (see extract-invoice), so every value is JSON-native.
  it.each(byName)(
    '%s: predict returns the first example outputs from a scripted reply',
    async (_, signature) => {
      const [example] = signature.examples;
      if (example === undefined) throw new Error(`${signature.name} has no examples`);
      const ai = createScriptedProvider({ replies: [renderAxReply(signature, example.outputs)] });
      const result = await predict(signature).run(example.inputs, { ai });
      expect(result.outputs).toEqual(example.outputs);
      expect(ai.calls).toHaveLength(1);
      expect(ai.calls[0]?.system).toContain(signature.instructions);
    },
  );
});

describe('catalog examples are consistent with their instructions', () => {
  it('summarize examples stay within maxWords', () => {
    for (const { inputs, outputs } of summarize.examples) {
      expect(outputs.summary.split(/\s+/).length).toBeLessThanOrEqual(inputs.maxWords);
    }
  });

  it('answer-with-citations examples cite existing passages, and none when unanswerable', () => {
    for (const { inputs, outputs } of answerWithCitations.examples) {
      for (const index of outputs.citedPassageIndexes) expect(index).toBeLessThan(inputs.passages.length);
      expect(outputs.citedPassageIndexes.length > 0).toBe(outputs.isAnswerable);
    }
  });

  it('plan-steps examples only depend on earlier steps', () => {
    for (const { outputs } of planSteps.examples) {
      outputs.steps.forEach((step, index) => {
        for (const dependency of step.dependsOn) expect(dependency).toBeLessThan(index);
      });
    }
  });

  it('critique-answer examples follow the score-to-verdict rule', () => {
    for (const { outputs } of critiqueAnswer.examples) {
      const expected = outputs.score >= 8 ? 'accept' : outputs.score >= 4 ? 'revise' : 'reject';
      expect(outputs.verdict).toBe(expected);
    }
  });

  it('rewrite-style rejects a tone outside its list (Ax has no enum inputs, so a pattern enforces it)', () => {
    const result = rewriteStyle.validateInput({ draftText: 'hi', tone: 'sarcastic' });
    expect(result.ok).toBe(false);
    expect(rewriteStyle.validateInput({ draftText: 'hi', tone: 'friendly' }).ok).toBe(true);
  });
});
