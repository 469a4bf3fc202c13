/** Where CLI commands write; injected so tests can capture output. */
export interface CliIo {
  /** Normal output (tables, JSON). */
  readonly out: (line: string) => void;
  /** Diagnostics and errors. */
  readonly err: (line: string) => void;
}

/** Writes to the process's stdout and stderr. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Renders rows as an aligned text table. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
