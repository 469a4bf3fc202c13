import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** LLM-as-judge: scores an answer against the question (and a reference, when there is one). */
export const critiqueAnswer = defineSignature({
  name: 'critique-answer',
  version: '1.0.0',
  description: 'Critique an answer to a question: a 0-10 score, strengths, weaknesses and a verdict.',
  instructions:
    'Act as a strict reviewer. Judge the answer on correctness first, then completeness, then clarity. ' +
    'When a reference answer is given, treat it as correct and penalize contradictions. When criteria are ' +
    'given, judge against them. Score: 0 is wrong or harmful, 5 is partly right, 10 is correct, complete ' +
    'and clear. Verdict: accept for 8 or more, revise for 4 to 7, reject below 4. Each strength and ' +
    'weakness is one specific sentence.',
  tags: ['evaluation', 'judge', 'quality'],
  inputs: z.object({
    question: z.string().describe('The question that was asked'),
    candidateAnswer: z.string().describe('The answer to critique'),
    referenceAnswer: z.string().optional().describe('A known-good answer to compare against'),
    criteria: z.string().optional().describe('Extra grading criteria, e.g. "must cite a source"'),
  }),
  outputs: z.object({
    score: z.int().min(0).max(10).describe('Overall quality from 0 (wrong) to 10 (excellent)'),
    strengths: z.array(z.string().describe('One specific strength')).describe('What the answer does well'),
    weaknesses: z
      .array(z.string().describe('One specific weakness'))
      .describe('What is wrong or missing; empty when nothing is'),
    verdict: z.enum(['accept', 'revise', 'reject']).describe('Decision that follows from the score'),
  }),
  examples: [
    {
      inputs: {
        question: 'Why does my React component re-render every time its parent does?',
        candidateAnswer:
          'Function components re-render whenever their parent re-renders. Wrap it in React.memo so it only ' +
          're-renders when its props change, and keep object props stable with useMemo.',
      },
      outputs: {
        score: 9,
        strengths: ['Names the cause correctly.', 'Gives the standard fix with React.memo and stable props.'],
        weaknesses: ['Does not mention that context changes still trigger re-renders.'],
        verdict: 'accept',
      },
    },
    {
      inputs: {
        question: 'What is the boiling point of water at sea level in Fahrenheit?',
        candidateAnswer: 'Water boils at 100 degrees.',
        referenceAnswer: '212 °F',
      },
      outputs: {
        score: 3,
        strengths: ['The value is correct in Celsius.'],
        weaknesses: [
          'Gives Celsius although Fahrenheit was asked.',
          'Omits the unit, which makes it ambiguous.',
        ],
        verdict: 'reject',
      },
    },
  ],
});
