/** The part of a stream the progress display writes to (process.stderr fits). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Progress of a bench run: one task (suite) at a time. */
export interface Progress {
  /** A task begins: `index` of `count` (1-based). */
  start(name: string, index: number, count: number): void;
  /** Progress within the current task (0..1) and what it is doing. */
  update(fraction: number, detail: string): void;
  /** The current task ended, with a one-line outcome. */
  finish(outcome: string): void;
  /** Prints a line without garbling the bar. */
  log(line: string): void;
}

export interface ProgressOptions {
  /** Draw a live bar (TTY) or print plain lines (CI logs, pipes). Defaults to `stream.isTTY`. */
  readonly tty?: boolean;
  /** Bar width in cells. */
  readonly width?: number;
  /** Clock in ms, injectable for tests. */
  readonly now?: () => number;
}

const REDRAW_MS = 80;
const PLAIN_STEP = 0.25;

/** A small progress display: a redrawn bar on a terminal, a line per quarter elsewhere. */
export function createProgress(stream: ProgressStream, options: ProgressOptions = {}): Progress {
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const width = options.width ?? 24;
  let task = { name: '', index: 0, count: 0, startedAt: 0 };
  let lastDraw = Number.NEGATIVE_INFINITY;
  let nextPlainStep = PLAIN_STEP;
  let drawn = false;

  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const prefix = (): string => `[${task.index}/${task.count}] ${task.name}`;
  const seconds = (): string => `${((now() - task.startedAt) / 1000).toFixed(1)}s`;

  return {
    start(name, index, count) {
      task = { name, index, count, startedAt: now() };
      nextPlainStep = PLAIN_STEP;
      lastDraw = Number.NEGATIVE_INFINITY;
      if (!tty) stream.write(`${prefix()}: started\n`);
    },
    update(fraction, detail) {
      const clamped = Math.min(1, Math.max(0, fraction));
      if (!tty) {
        if (clamped + 1e-9 < nextPlainStep) return;
        while (nextPlainStep <= clamped + 1e-9) nextPlainStep += PLAIN_STEP;
        stream.write(`${prefix()}: ${Math.floor(clamped * 100)}% ${detail} (${seconds()})\n`);
        return;
      }
      if (now() - lastDraw < REDRAW_MS && clamped < 1) return;
      lastDraw = now();
      const filled = Math.round(clamped * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const line = `${prefix()} ${bar} ${String(Math.floor(clamped * 100)).padStart(3)}% ${seconds()} ${detail}`;
      const columns = stream.columns || 100; // 0 when the terminal does not say
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, columns - 1))}`);
      drawn = true;
    },
    finish(outcome) {
      clear();
      stream.write(`${prefix()}: ${outcome} (${seconds()})\n`);
    },
    log(line) {
      clear();
      stream.write(`${line}\n`);
    },
  };
}
