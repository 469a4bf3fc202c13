import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** Length-controlled summarization: the caller sets the word budget. */
export const summarize = defineSignature({
  name: 'summarize',
  version: '1.0.0',
  description: 'Summarize a document within a word budget, optionally focused on one topic.',
  instructions:
    'Summarize the document faithfully in at most maxWords words. Keep the facts, numbers and decisions ' +
    'that matter most; drop examples, repetition and filler. When a focus is given, cover only what ' +
    'relates to it. Do not add opinions or facts that are not in the document. List the key points as ' +
    'short phrases.',
  tags: ['text', 'summarization'],
  inputs: z.object({
    document: z.string().describe('The text to summarize'),
    maxWords: z.int().min(10).max(1000).describe('Upper bound on the number of words in the summary'),
    focus: z.string().optional().describe('Optional topic the summary should concentrate on'),
  }),
  outputs: z.object({
    summary: z.string().describe('The summary, in prose, no longer than maxWords words'),
    keyPoints: z
      .array(z.string().describe('One key point as a short phrase'))
      .describe('The most important points, most important first'),
  }),
  examples: [
    {
      inputs: {
        document:
          'The quarterly review found that checkout latency rose from 300 ms to 900 ms after the payment ' +
          'provider migration. Conversion dropped 4% in the same period. The team traced the cause to ' +
          'synchronous fraud checks and will move them to an async queue by the end of May. Until then, ' +
          'fraud checks are skipped for orders under $20.',
        maxWords: 40,
      },
      outputs: {
        summary:
          'Checkout latency tripled to 900 ms after the payment migration, cutting conversion by 4%. ' +
          'Synchronous fraud checks are the cause; they move to an async queue by end of May, and are ' +
          'skipped for orders under $20 meanwhile.',
        keyPoints: ['latency 300 ms to 900 ms', 'conversion down 4%', 'async fraud checks by end of May'],
      },
    },
    {
      inputs: {
        document:
          'Release 2.4 adds SSO through SAML and OIDC, a dark theme, and CSV export for reports. It drops ' +
          'support for Internet Explorer 11. Admins must re-enter SMTP credentials after upgrading because ' +
          'they are now stored encrypted.',
        maxWords: 20,
        focus: 'actions admins must take',
      },
      outputs: {
        summary:
          'After upgrading to 2.4, admins must re-enter SMTP credentials, which are now stored encrypted.',
        keyPoints: ['re-enter SMTP credentials after upgrade'],
      },
      note: 'The focus narrows the summary to one point.',
    },
  ],
});
