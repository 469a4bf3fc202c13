import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** Sentiment with a label, a signed score and the phrases that carry it. */
export const analyzeSentiment = defineSignature({
  name: 'analyze-sentiment',
  version: '1.0.0',
  description: 'Classify the sentiment of a text with a label, a score from -1 to 1 and the evidence.',
  instructions:
    'Judge the overall sentiment the author expresses. Use "mixed" when clearly positive and clearly ' +
    'negative opinions are both present, "neutral" for factual text without opinion. The score runs from -1 ' +
    '(very negative) to 1 (very positive), near 0 for neutral or balanced text. Quote the phrases that carry ' +
    'the sentiment verbatim.',
  tags: ['text', 'classification', 'sentiment'],
  inputs: z.object({
    opinionText: z.string().describe('A review, comment or message to analyze'),
  }),
  outputs: z.object({
    sentimentLabel: z
      .enum(['positive', 'negative', 'neutral', 'mixed'])
      .describe('Overall sentiment of the author'),
    sentimentScore: z
      .number()
      .min(-1)
      .max(1)
      .describe('Signed strength from -1 (very negative) to 1 (very positive)'),
    evidencePhrases: z
      .array(z.string().describe('A phrase quoted verbatim from the text'))
      .describe('The phrases that carry the sentiment'),
  }),
  examples: [
    {
      inputs: { opinionText: 'Setup took two minutes and support answered at midnight. Absolutely love it.' },
      outputs: {
        sentimentLabel: 'positive',
        sentimentScore: 0.9,
        evidencePhrases: ['Setup took two minutes', 'Absolutely love it'],
      },
    },
    {
      inputs: { opinionText: 'The camera is superb, but the battery barely lasts half a day.' },
      outputs: {
        sentimentLabel: 'mixed',
        sentimentScore: 0.1,
        evidencePhrases: ['The camera is superb', 'the battery barely lasts half a day'],
      },
    },
  ],
});
