import { defineSignature } from '../../src/index.ts';

/** A RAG retrieval grader: judges whether one passage helps answer one question. */
export const gradeRelevance = defineSignature({
  name: 'grade-relevance',
  version: '1.0.0',
  description: 'Grade how relevant a retrieved passage is to a question, for RAG filtering and evaluation.',
  instructions:
    'Judge whether the passage helps answer the question. "relevant" means it contains the answer or a ' +
    'necessary part of it; "partial" means it is on topic but does not answer it; "irrelevant" means it ' +
    'does not help. Judge only the passage, not what you know. Keep the rationale to one sentence.',
  tags: ['rag', 'evaluation', 'retrieval'],
  signature: `question:string "The user's question",
    passage:string "One retrieved passage to grade" ->
    relevanceLabel:class "relevant, partial, irrelevant" "How well the passage answers the question",
    relevanceScore:number(min 0, max 1) "Graded relevance from 0 (no help) to 1 (fully answers it)",
    rationale:string(max 300) "One sentence explaining the grade"`,
  examples: [
    {
      inputs: {
        question: 'What port does PostgreSQL listen on by default?',
        passage: 'By default the PostgreSQL server listens on TCP port 5432 on localhost.',
      },
      outputs: {
        relevanceLabel: 'relevant',
        relevanceScore: 0.97,
        rationale: 'The passage states the default port, 5432, directly.',
      },
    },
    {
      inputs: {
        question: 'What port does PostgreSQL listen on by default?',
        passage: 'PostgreSQL supports JSONB columns with GIN indexes for fast containment queries.',
      },
      outputs: {
        relevanceLabel: 'irrelevant',
        relevanceScore: 0.03,
        rationale: 'The passage is about JSONB indexing and says nothing about ports.',
      },
    },
  ],
});
