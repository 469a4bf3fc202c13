import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** Grounded QA for RAG: answers only from the given passages and says which ones it used. */
export const answerWithCitations = defineSignature({
  name: 'answer-with-citations',
  version: '1.0.0',
  description: 'Answer a question from retrieved passages only, citing the passages used by index.',
  instructions:
    'Answer the question using only the numbered context passages. Cite every passage that supports the ' +
    'answer by its 0-based index (the first passage is 0). If the passages do not contain the answer, say ' +
    'so in the answer, set isAnswerable to false and cite nothing. Never use outside knowledge.',
  tags: ['rag', 'qa', 'grounding'],
  inputs: z.object({
    question: z.string().describe('The question to answer'),
    passages: z
      .array(z.string().describe('One retrieved passage, verbatim'))
      .describe('Context passages in retrieval order; passage i is cited as index i (0-based)'),
  }),
  outputs: z.object({
    answer: z.string().describe('The answer, stated only with facts found in the cited passages'),
    citedPassageIndexes: z
      .array(z.int().min(0).describe('0-based index of a supporting passage'))
      .describe('Indexes of the passages that support the answer, ascending; empty when unanswerable'),
    isAnswerable: z.boolean().describe('Whether the passages contain enough to answer the question'),
  }),
  examples: [
    {
      inputs: {
        question: 'How long do refunds take?',
        passages: [
          'Orders ship within two business days of payment.',
          'Refunds are issued to the original payment method within 5 to 7 business days.',
          'Store credit is applied instantly once a return is approved.',
        ],
      },
      outputs: {
        answer: 'Refunds reach the original payment method within 5 to 7 business days.',
        citedPassageIndexes: [1],
        isAnswerable: true,
      },
    },
    {
      inputs: {
        question: 'Does the warranty cover water damage?',
        passages: [
          'The warranty covers manufacturing defects for 24 months.',
          'Batteries are covered for 12 months.',
        ],
      },
      outputs: {
        answer: 'The passages do not say whether water damage is covered.',
        citedPassageIndexes: [],
        isAnswerable: false,
      },
      note: 'Unanswerable from the context: no citations, isAnswerable false.',
    },
  ],
});
