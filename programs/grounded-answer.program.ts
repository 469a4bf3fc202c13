import { answerWithCitations } from '../signatures/index.ts';
import { defineProgram, refine } from '../src/index.ts';

/**
 * RAG answers whose citations are checked: every cited index must point at a passage, an answerable
 * answer must cite something, and an unanswerable one must cite nothing. Failures are sent back for
 * revision with the exact problem.
 */
export const groundedAnswerProgram = defineProgram({
  name: 'grounded-answer',
  description:
    'Answers from passages with citations that are checked against the passages and revised if wrong.',
  build: () =>
    refine(answerWithCitations, {
      maxIterations: 3,
      validators: [
        ({ citedPassageIndexes }, { passages }) =>
          citedPassageIndexes
            .filter((index) => index >= passages.length)
            .map(
              (index) =>
                `citedPassageIndexes contains ${index}, but only passages 0-${passages.length - 1} exist`,
            ),
        ({ citedPassageIndexes, isAnswerable }) =>
          isAnswerable && citedPassageIndexes.length === 0
            ? 'the answer is marked answerable but cites no passage; cite the passages that support it'
            : !isAnswerable && citedPassageIndexes.length > 0
              ? 'the answer is marked unanswerable, so it must cite no passages'
              : undefined,
      ],
    }),
});
