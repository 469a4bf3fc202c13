/**
 * signet's reusable signature catalog: one signature per file under `<domain>/`, listed once here.
 * Add a signature by creating its file and appending it to `catalog`; the catalog tests pick it up.
 */
import { createSignatureRegistry, type SignatureRegistry } from '../src/index.ts';
import { generateCode } from './code/generate-code.signature.ts';
import { textToSql } from './code/text-to-sql.signature.ts';
import { critiqueAnswer } from './eval/critique-answer.signature.ts';
import { extractEntities } from './extraction/extract-entities.signature.ts';
import { extractInvoice } from './extraction/extract-invoice.signature.ts';
import { triageIncident } from './ops/triage-incident.signature.ts';
import { planSteps } from './planning/plan-steps.signature.ts';
import { answerQuestion } from './qa/answer-question.signature.ts';
import { answerWithCitations } from './rag/answer-with-citations.signature.ts';
import { generateSearchQueries } from './rag/generate-search-queries.signature.ts';
import { gradeRelevance } from './rag/grade-relevance.signature.ts';
import { classifyTicket } from './support/classify-ticket.signature.ts';
import { analyzeSentiment } from './text/analyze-sentiment.signature.ts';
import { rewriteStyle } from './text/rewrite-style.signature.ts';
import { summarize } from './text/summarize.signature.ts';
import { translate } from './text/translate.signature.ts';

export {
  analyzeSentiment,
  answerQuestion,
  answerWithCitations,
  classifyTicket,
  critiqueAnswer,
  extractEntities,
  extractInvoice,
  generateCode,
  generateSearchQueries,
  gradeRelevance,
  planSteps,
  rewriteStyle,
  summarize,
  textToSql,
  translate,
  triageIncident,
};

/** Every catalog signature, grouped by domain. */
export const catalog = [
  answerQuestion,
  answerWithCitations,
  gradeRelevance,
  generateSearchQueries,
  summarize,
  translate,
  rewriteStyle,
  analyzeSentiment,
  classifyTicket,
  extractEntities,
  extractInvoice,
  triageIncident,
  critiqueAnswer,
  planSteps,
  textToSql,
  generateCode,
] as const;

/** A fresh registry holding the whole catalog (a new one per call: registries are mutable). */
export function createCatalogRegistry(): SignatureRegistry {
  return createSignatureRegistry(catalog);
}
