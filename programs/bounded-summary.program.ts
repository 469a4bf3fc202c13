import { summarize } from '../signatures/index.ts';
import { defineProgram, refine } from '../src/index.ts';

/** Counts words the way readers do: runs of non-space characters. */
export function countWords(prose: string): number {
  return prose.split(/\s+/).filter((word) => word.length > 0).length;
}

/** Summaries that respect the word budget: an over-long summary is revised with the count it had. */
export const boundedSummaryProgram = defineProgram({
  name: 'bounded-summary',
  description: 'Summarizes within maxWords; summaries over budget are revised until they fit.',
  build: () =>
    refine(summarize, {
      maxIterations: 3,
      validators: [
        ({ summary }, { maxWords }) => {
          const words = countWords(summary);
          return words > maxWords ? `the summary has ${words} words; the limit is ${maxWords}` : undefined;
        },
      ],
    }),
});
