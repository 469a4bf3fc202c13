import { textToSql } from '../signatures/index.ts';
import { defineProgram, refine } from '../src/index.ts';

const WRITE = /\b(insert|update|delete|merge|drop|alter|create|truncate|grant|revoke|replace)\b/i;

/** Problems that make a query unsafe to run on a read-only connection (empty when it is fine). */
export function readOnlyProblems(sqlQuery: string): string[] {
  const problems: string[] = [];
  const statements = sqlQuery
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (statements.length !== 1) problems.push(`write exactly one statement; found ${statements.length}`);
  if (!/^\s*(select|with)\b/i.test(sqlQuery)) problems.push('the query must start with SELECT or WITH');
  const write = WRITE.exec(sqlQuery);
  if (write !== null)
    problems.push(`the query must not modify data or schema (found ${write[0].toUpperCase()})`);
  return problems;
}

/** Text-to-SQL that only ever returns a single read-only statement; anything else is sent back for revision. */
export const readOnlySqlProgram = defineProgram({
  name: 'read-only-sql',
  description:
    'Turns a question into one read-only SQL query; writes and multi-statement queries are revised.',
  build: () =>
    refine(textToSql, { maxIterations: 3, validators: [({ sqlQuery }) => readOnlyProblems(sqlQuery)] }),
});
