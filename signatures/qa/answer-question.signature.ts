import { defineSignature } from '../../src/index.ts';

/** Answers a question from general knowledge (plus optional background), with a calibrated confidence. */
export const answerQuestion = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  description: 'Answer a question directly, with a calibrated confidence between 0 and 1.',
  instructions:
    'Answer the question directly and concisely. Use the background notes when they are given and prefer ' +
    'them over general knowledge. Do not invent facts: if you are unsure, say what is uncertain in the answer ' +
    'and lower the confidence. Confidence is your probability that the answer is correct.',
  tags: ['qa', 'general'],
  signature: `question:string "The question to answer, in the asker's words",
    background?:string "Optional notes or facts the answer should take into account" ->
    answer:string "A direct answer in one to three sentences",
    confidence:number(min 0, max 1) "Probability that the answer is correct, from 0 (a guess) to 1 (certain)"`,
  examples: [
    {
      inputs: { question: 'What is the capital of Australia?' },
      outputs: { answer: 'The capital of Australia is Canberra.', confidence: 0.98 },
      note: 'A well-known fact: short answer, high confidence.',
    },
    {
      inputs: {
        question: 'Which plan should a team of 12 pick?',
        background: 'Starter covers up to 5 seats. Team covers 6 to 25 seats. Enterprise starts at 26 seats.',
      },
      outputs: { answer: 'The Team plan, which covers 6 to 25 seats.', confidence: 0.9 },
      note: 'The background decides the answer.',
    },
  ],
});
