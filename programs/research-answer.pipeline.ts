import { z } from 'zod';
import { answerQuestion, critiqueAnswer, generateSearchQueries, summarize } from '../signatures/index.ts';
import { definePipeline, predict } from '../src/index.ts';
import { groundedAnswerProgram } from './grounded-answer.program.ts';

/** The passages as one document, each under its index, so a summary can keep track of where facts are. */
const numbered = (passages: readonly string[]) => passages.map((p, i) => `[${i}] ${p}`).join('\n\n');

/**
 * Research, then answer with citations: a brief of the passages; then, at once, an answer whose
 * citations are checked (grounded-answer) and an answer from the brief alone; a review of the cited
 * answer against the passages and the second opinion; and search queries for what the review found
 * missing. Five steps, each checkpointed in a durable run.
 */
export const researchAnswerPipeline = definePipeline({
  name: 'research-answer',
  version: '1.0.0',
  description:
    'Answers a question from passages with checked citations, a review score and follow-up searches for what is missing.',
  inputs: z.object({
    question: z.string().min(1).describe('The question to answer'),
    passages: z.array(z.string().min(1)).min(1).max(50).describe('Retrieved passages, most relevant first'),
  }),
})
  .step('brief', predict(summarize), (s) => ({
    document: numbered(s.input.passages),
    maxWords: 120,
    focus: s.input.question,
  }))
  .parallel((step) => ({
    cited: step(groundedAnswerProgram.create(), (s) => ({
      question: s.input.question,
      passages: s.input.passages,
    })),
    direct: step(predict(answerQuestion), (s) => ({
      question: s.input.question,
      background: s.brief.summary,
    })),
  }))
  .step('review', predict(critiqueAnswer), (s) => ({
    question: s.input.question,
    candidateAnswer: s.cited.answer,
    criteria:
      'Every claim must be supported by the cited passages. A second answer, written from a summary of ' +
      `the passages, reads: "${s.direct.answer}"; count a disagreement with it as a weakness.`,
  }))
  .step('followUp', predict(generateSearchQueries), (s) => ({
    question: s.input.question,
    conversationHistory: s.review.weaknesses.map((weakness) => `reviewer: ${weakness}`),
    maxQueries: 3,
  }))
  .returns((s) => ({
    answer: s.cited.answer,
    citedPassageIndexes: s.cited.citedPassageIndexes,
    isAnswerable: s.cited.isAnswerable,
    reviewScore: s.review.score,
    verdict: s.review.verdict,
    followUpQueries: s.followUp.searchQueries,
  }));
