import { defineSignature } from '../../src/index.ts';

/** Natural-language questions to one read-only SQL query over a given schema. */
export const textToSql = defineSignature({
  name: 'text-to-sql',
  version: '1.0.0',
  description: 'Turn a question about a database into one read-only SQL query, with an explanation.',
  instructions:
    'Write one SQL query that answers the question over the given schema. Use only tables and columns that ' +
    'exist in the schema and the syntax of the given dialect (ANSI SQL when none is given). The query must ' +
    'be read-only: SELECT or WITH only, never INSERT, UPDATE, DELETE or DDL. Alias computed columns. ' +
    'Explain in one or two sentences how the query answers the question, and state any assumption.',
  tags: ['code', 'sql', 'data'],
  signature: `databaseSchema:string(cache) "The database schema as CREATE TABLE statements or a table/column list",
    question:string "The question to answer with data",
    sqlDialect?:string "SQL dialect, e.g. postgresql, sqlite, mysql" ->
    sqlQuery:code(sql) "One read-only SQL query that answers the question",
    explanation:string "How the query answers the question, including any assumption made"`,
  examples: [
    {
      inputs: {
        databaseSchema:
          'CREATE TABLE customers (id INT PRIMARY KEY, name TEXT, country TEXT);\n' +
          'CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT REFERENCES customers(id), total NUMERIC, created_at DATE);',
        question: 'Which 5 countries had the most revenue in 2024?',
        sqlDialect: 'postgresql',
      },
      outputs: {
        sqlQuery:
          'SELECT c.country, SUM(o.total) AS revenue\nFROM orders o\nJOIN customers c ON c.id = o.customer_id\n' +
          "WHERE o.created_at >= DATE '2024-01-01' AND o.created_at < DATE '2025-01-01'\n" +
          'GROUP BY c.country\nORDER BY revenue DESC\nLIMIT 5;',
        explanation:
          'Joins orders to customers, keeps orders placed in 2024, sums order totals per country and returns the top 5. Revenue is assumed to be the order total.',
      },
    },
    {
      inputs: {
        databaseSchema: 'tickets(id, status, opened_at, closed_at)',
        question: 'How many tickets are still open?',
      },
      outputs: {
        sqlQuery: "SELECT COUNT(*) AS open_tickets FROM tickets WHERE status = 'open';",
        explanation: "Counts tickets whose status is 'open'; assumes open tickets carry that status value.",
      },
    },
  ],
});
