import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** Query expansion for retrieval: turns a question (and the chat so far) into search queries. */
export const generateSearchQueries = defineSignature({
  name: 'generate-search-queries',
  version: '1.0.0',
  description: 'Rewrite a question into a few diverse, self-contained search queries for retrieval.',
  instructions:
    'Write search queries that together retrieve everything needed to answer the question. Resolve ' +
    'pronouns and references using the conversation so each query stands alone. Make the queries differ ' +
    '(synonyms, sub-questions, likely document wording); use keywords, not full sentences. Return at most ' +
    'maxQueries queries, most important first.',
  tags: ['rag', 'retrieval', 'query-expansion'],
  inputs: z.object({
    question: z.string().describe('The latest user question'),
    conversationHistory: z
      .array(z.string().describe('One earlier turn, prefixed with its speaker'))
      .optional()
      .describe('Earlier turns of the conversation, oldest first, to resolve references'),
    maxQueries: z.int().min(1).max(10).describe('Largest number of queries to return'),
  }),
  outputs: z.object({
    searchQueries: z
      .array(z.string().min(1).describe('One keyword-style search query'))
      .describe('Distinct, self-contained queries, most important first'),
  }),
  examples: [
    {
      inputs: { question: 'How do I rotate the API key without downtime?', maxQueries: 3 },
      outputs: {
        searchQueries: [
          'rotate API key zero downtime',
          'API key rollover two active keys',
          'revoke old API key',
        ],
      },
    },
    {
      inputs: {
        question: 'Does it work offline?',
        conversationHistory: [
          'user: Tell me about the Notes mobile app.',
          'assistant: Notes syncs across devices.',
        ],
        maxQueries: 2,
      },
      outputs: { searchQueries: ['Notes mobile app offline mode', 'Notes app sync without internet'] },
      note: '"it" is resolved from the conversation.',
    },
  ],
});
