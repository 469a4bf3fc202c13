/** Where in a DSL string a problem is: 0-based offset, 1-based line and column. */
export interface DslPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Converts an offset into a line/column position. */
export function positionAt(source: string, offset: number): DslPosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  const before = source.slice(0, clamped);
  const line = before.split('\n').length;
  const column = clamped - (before.lastIndexOf('\n') + 1) + 1;
  return { offset: clamped, line, column };
}

/** The offending line of the source with a caret under the column. */
export function excerptAt(source: string, position: DslPosition): string {
  const text = source.split('\n')[position.line - 1] ?? '';
  return `  ${text}\n  ${' '.repeat(position.column - 1)}^`;
}

/**
 * Finds structural problems (unbalanced quotes, braces, parentheses, a missing or repeated `->`) with
 * their exact position, before the full grammar is applied.
 */
export function findStructuralError(source: string): { offset: number; message: string } | undefined {
  const stack: { char: string; offset: number }[] = [];
  let quoteStart = -1;
  let arrows = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoteStart >= 0) {
      if (ch === '\\') i++;
      else if (ch === '"') quoteStart = -1;
      continue;
    }
    if (ch === '"') quoteStart = i;
    else if (ch === '(' || ch === '{' || ch === '[') stack.push({ char: ch, offset: i });
    else if (ch === ')' || ch === '}' || ch === ']') {
      const open = stack.pop();
      const expected = open === undefined ? undefined : { '(': ')', '{': '}', '[': ']' }[open.char];
      if (expected !== ch) return { offset: i, message: `unexpected "${ch}"` };
    } else if (ch === '-' && source[i + 1] === '>' && stack.length === 0) {
      arrows++;
      if (arrows > 1) return { offset: i, message: 'a signature has exactly one "->"' };
    }
  }
  if (quoteStart >= 0) return { offset: quoteStart, message: 'unterminated quoted string' };
  const open = stack.pop();
  if (open !== undefined) return { offset: open.offset, message: `"${open.char}" is never closed` };
  if (arrows === 0) return { offset: source.length, message: 'missing "->" between inputs and outputs' };
  return undefined;
}

/**
 * Ax's parser reports what is wrong but not where. Its messages quote the offending token, so the
 * position is the first occurrence of that token as a whole word; otherwise the end of the source.
 */
export function locateAxMessage(source: string, message: string): number {
  for (const match of message.matchAll(/["'“`]([^"'”`]+)["'”`]/g)) {
    const token = match[1];
    if (token === undefined || token === '->') continue;
    const at = findWord(source, token);
    if (at >= 0) return at;
  }
  if (/after "->"|no output/i.test(message)) return source.length;
  if (/no input|before "->"/i.test(message)) return 0;
  return source.length;
}

function findWord(source: string, token: string): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`);
  const hit = word.exec(source);
  return hit === null ? source.indexOf(token) : hit.index;
}
