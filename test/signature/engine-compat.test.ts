import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSignature, predict, signatureFromJSON } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

describe('signatures the engine needs help with', () => {
  it('runs a pattern-constrained output next to structured outputs (Ax needs a pattern description)', async () => {
    const invoice = defineSignature({
      name: 'invoice',
      version: '1.0.0',
      signature:
        'invoiceText:string -> invoiceNumber:string(pattern "^INV-\\\\d+$"), lineItems:object{ itemName:string, quantity:number }[]',
    });
    const ai = createScriptedProvider({
      replies: ['{"invoiceNumber":"INV-42","lineItems":[{"itemName":"bolt","quantity":3}]}'],
    });
    const result = await predict(invoice).run({ invoiceText: 'INV-42: 3 bolts' }, { ai });
    expect(result.outputs).toEqual({
      invoiceNumber: 'INV-42',
      lineItems: [{ itemName: 'bolt', quantity: 3 }],
    });
    expect(invoice.parseOutput({ invoiceNumber: 'X-1', lineItems: [] }).ok).toBe(false);
  });

  it('accepts enum inputs, validating the label before the model is called', async () => {
    const rewrite = defineSignature({
      name: 'rewrite',
      version: '1.0.0',
      inputs: z.object({ draftText: z.string(), tone: z.enum(['formal', 'friendly']) }),
      outputs: z.object({ rewrittenText: z.string() }),
    });
    expect(rewrite.validateInput({ draftText: 'hi', tone: 'rude' }).ok).toBe(false);
    const ai = createScriptedProvider({ replies: ['Rewritten Text: Good day.'] });
    const result = await predict(rewrite).run({ draftText: 'hi', tone: 'formal' }, { ai });
    expect(result.outputs.rewrittenText).toBe('Good day.');
    expect(ai.calls[0]?.system.toLowerCase()).toContain('one of: formal, friendly');
  });

  it('round-trips examples with date fields through JSON', () => {
    const dated = defineSignature({
      name: 'dated',
      version: '1.0.0',
      signature: 'emailBody:string -> meetingDate:date',
      examples: [
        { inputs: { emailBody: 'see you on March 1' }, outputs: { meetingDate: new Date('2024-03-01') } },
      ],
    });
    const back = signatureFromJSON(JSON.stringify(dated));
    expect(back.hash()).toBe(dated.hash());
    expect(back.parseOutput({ meetingDate: '2024-03-01' }).ok).toBe(true);
  });
});
