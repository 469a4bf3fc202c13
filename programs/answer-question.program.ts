import { answerQuestion } from '../signatures/index.ts';
import { chainOfThought, defineProgram } from '../src/index.ts';

/** Open-domain QA with visible reasoning: the reasoning makes the confidence easier to audit. */
export const answerQuestionProgram = defineProgram({
  name: 'answer-question',
  description: 'Answers a question after reasoning step by step; returns the reasoning with the answer.',
  build: () => chainOfThought(answerQuestion),
});
