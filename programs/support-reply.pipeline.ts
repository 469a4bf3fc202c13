import { z } from 'zod';
import { answerQuestion, classifyTicket, critiqueAnswer, rewriteStyle } from '../signatures/index.ts';
import { definePipeline, predict } from '../src/index.ts';

/**
 * A support reply in four checkpointed steps: triage the ticket, draft a reply from the knowledge
 * given, critique the draft as a strict reviewer would, and revise it in a friendly tone fixing what the
 * critique found. Tickets a person must handle say so in the reply and in `needsHuman`.
 */
export const supportReplyPipeline = definePipeline({
  name: 'support-reply',
  version: '1.0.0',
  description: 'Triage a support ticket, draft a reply, critique it and revise it into the reply to send.',
  inputs: z.object({
    ticketText: z.string().min(1).describe("The customer's message, subject line first"),
    customerPlan: z.string().optional().describe("The customer's plan, e.g. free, pro, enterprise"),
    knowledge: z.string().optional().describe('Facts the reply may use: policies, known issues, steps'),
  }),
})
  .step('triage', predict(classifyTicket), (s) => ({
    ticketText: s.input.ticketText,
    ...(s.input.customerPlan === undefined ? {} : { customerPlan: s.input.customerPlan }),
  }))
  .step('draft', predict(answerQuestion), (s) => ({
    question: `Write the reply to this ${s.triage.ticketPriority}-priority ${s.triage.ticketCategory} ticket:\n${s.input.ticketText}`,
    background: [
      s.input.knowledge ?? 'No knowledge base entry was given: promise nothing specific.',
      s.triage.needsHuman ? 'A person from support will take this ticket over; say so.' : '',
    ]
      .filter((line) => line !== '')
      .join('\n'),
  }))
  .step('critique', predict(critiqueAnswer), (s) => ({
    question: s.input.ticketText,
    candidateAnswer: s.draft.answer,
    criteria:
      'A support reply: answers every request in the ticket, promises nothing the knowledge does not ' +
      'support, and says what happens next.',
  }))
  .step('revise', predict(rewriteStyle), (s) => ({
    draftText: s.draft.answer,
    tone: 'friendly',
    styleGuide: [...s.critique.weaknesses.map((w) => `Fix: ${w}`), 'Keep every fact of the draft.'].join(
      '\n',
    ),
  }))
  .returns((s) => ({
    reply: s.revise.rewrittenText,
    category: s.triage.ticketCategory,
    priority: s.triage.ticketPriority,
    needsHuman: s.triage.needsHuman,
    reviewScore: s.critique.score,
  }));
