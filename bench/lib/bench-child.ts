import { fork, type Serializable } from 'node:child_process';

/** How to start a child process a suite measures (a server, a soak). */
export interface BenchChildOptions<M> {
  /** Name used in error messages (`signet server`). */
  readonly name: string;
  /**
   * Script to run: for a measured child, the compiled `.js` (`compiledScript()`), so no tsx is loaded; a
   * `.ts` file runs only through `--import tsx` in `execArgv`.
   */
  readonly script: string;
  /** Arguments after the script. */
  readonly args?: readonly string[];
  /** Node flags (`--expose-gc`; `--import tsx` for a `.ts` script). */
  readonly execArgv?: readonly string[];
  /** Working directory. */
  readonly cwd: string;
  /** Checks a message from the child; returns undefined for anything unexpected, which fails the child. */
  readonly parse: (raw: unknown) => M | undefined;
  /** Aborting kills the child. */
  readonly signal: AbortSignal;
}

/** A running child with an IPC channel. Always `stop()` it (in a `finally`); abort and exit kill it too. */
export interface BenchChild<M> {
  /** Process id. */
  readonly pid: number | undefined;
  /**
   * The first message (received or still to come) that `accept` takes; others stay queued. Rejects when
   * the child exits first, sends something unexpected, the signal aborts, or `timeoutMs` passes.
   */
  receive<T extends M>(accept: (message: M) => message is T, timeoutMs?: number): Promise<T>;
  /** Sends a message to the child. */
  send(message: Serializable): void;
  /** Kills the child (SIGTERM, then SIGKILL after a second) and waits for it to exit. Safe to repeat. */
  stop(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 1_000;

interface Waiter<M> {
  readonly accept: (message: M) => boolean;
  readonly resolve: (message: M) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Forks a child with an IPC channel and keeps it on a short leash: it is killed when the signal aborts,
 * when `stop()` is called, and (SIGKILL) when this process exits for any reason. Its stderr is kept
 * (last 4 KB) to explain a crash.
 */
export function startBenchChild<M>(options: BenchChildOptions<M>): BenchChild<M> {
  options.signal.throwIfAborted();
  const child = fork(options.script, [...(options.args ?? [])], {
    cwd: options.cwd,
    execArgv: [...(options.execArgv ?? [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  let failure: Error | undefined;
  let exited = false;
  const queue: M[] = [];
  const waiters = new Set<Waiter<M>>();
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const onAbort = (): void => {
    fail(new Error(`${options.name} stopped: ${String(options.signal.reason)}`));
    void stop();
  };
  options.signal.addEventListener('abort', onAbort, { once: true });

  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiters) waiter.reject(failure);
    waiters.clear();
  };

  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.on('error', (error) => fail(new Error(`${options.name} failed: ${error.message}`)));
  child.on('message', (raw: unknown) => {
    const message = options.parse(raw);
    if (message === undefined) {
      fail(new Error(`${options.name} sent an unexpected message: ${JSON.stringify(raw).slice(0, 200)}`));
      return;
    }
    for (const waiter of waiters) {
      if (!waiter.accept(message)) continue;
      waiters.delete(waiter);
      waiter.resolve(message);
      return;
    }
    queue.push(message);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    process.off('exit', killOnExit);
    options.signal.removeEventListener('abort', onAbort);
    const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
    const said = stderr.trim() === '' ? '' : `: ${lastLines(stderr)}`;
    fail(new Error(`${options.name} ended with ${how}${said}`));
  });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await exit;
      clearTimeout(timer);
    }
  };

  return {
    pid: child.pid,
    receive<T extends M>(accept: (message: M) => message is T, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
      const index = queue.findIndex((message) => accept(message));
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as T);
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${options.name} did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter<M> = {
          accept,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    send(message) {
      if (failure !== undefined) throw failure;
      child.send(message);
    },
    stop,
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ').slice(0, 600);
}
