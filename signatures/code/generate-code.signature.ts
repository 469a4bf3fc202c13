import { defineSignature } from '../../src/index.ts';

/** Code generation from a task description, in the caller's language. */
export const generateCode = defineSignature({
  name: 'generate-code',
  version: '1.0.0',
  description: 'Write code in a given language for a described task, with a short explanation.',
  instructions:
    'Write idiomatic, complete, runnable code in the requested language that does the task. Prefer the ' +
    'standard library; do not invent APIs. Handle invalid input and edge cases the task implies. When ' +
    'existing code is given, change it as little as needed and return the whole updated code. Do not wrap ' +
    'the code in markdown fences. Explain briefly how it works and any assumption.',
  tags: ['code', 'generation'],
  signature: `language:string "Programming language and version, e.g. TypeScript 5, Python 3.12, Go",
    task:string "What the code must do, including inputs, outputs and edge cases",
    existingCode?:code "Code to modify or extend instead of starting from scratch" ->
    code:code "The complete code, without markdown fences",
    explanation:string "How the code works, in two or three sentences, with any assumption made"`,
  examples: [
    {
      inputs: {
        language: 'TypeScript 5',
        task: 'A function chunk(items, size) that splits an array into arrays of at most size items; size must be a positive integer.',
      },
      outputs: {
        code:
          'export function chunk<T>(items: readonly T[], size: number): T[][] {\n' +
          '  if (!Number.isInteger(size) || size < 1) throw new RangeError("size must be a positive integer");\n' +
          '  const chunks: T[][] = [];\n' +
          '  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));\n' +
          '  return chunks;\n' +
          '}',
        explanation:
          'Walks the array in steps of size and slices each chunk; the last chunk may be shorter. A non-integer or non-positive size throws a RangeError.',
      },
    },
    {
      inputs: {
        language: 'Python 3.12',
        task: 'Make slugify also strip accents, so "Crème Brûlée" becomes "creme-brulee".',
        existingCode:
          'import re\n\ndef slugify(title: str) -> str:\n    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")',
      },
      outputs: {
        code:
          'import re\nimport unicodedata\n\n\ndef slugify(title: str) -> str:\n' +
          '    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")\n' +
          '    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")',
        explanation:
          'NFKD normalization splits accented letters into a base letter and a combining mark, and the ASCII encode drops the marks before the existing slug rules run.',
      },
    },
  ],
});
