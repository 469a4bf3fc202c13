import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startBenchChild } from '../../bench/lib/bench-child.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/echo.child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Message = { type: 'hello'; pid: number } | { type: 'echo'; value: unknown };

function start(mode: string, signal = new AbortController().signal) {
  return startBenchChild<Message>({
    name: `fixture ${mode}`,
    script: FIXTURE,
    args: [mode],
    execArgv: ['--import', 'tsx'],
    cwd: ROOT,
    signal,
    parse: (raw) => {
      const type = (raw as { type?: unknown } | null)?.type;
      return type === 'hello' || type === 'echo' ? (raw as Message) : undefined;
    },
  });
}

const isHello = (m: Message): m is Extract<Message, { type: 'hello' }> => m.type === 'hello';
const isEcho = (m: Message): m is Extract<Message, { type: 'echo' }> => m.type === 'echo';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startBenchChild', { timeout: 20_000 }, () => {
  it('delivers the messages a predicate asks for, in order, and answers sends', async () => {
    const child = start('echo');
    try {
      const hello = await child.receive(isHello);
      expect(hello.pid).toBe(child.pid);
      child.send({ n: 1 });
      child.send({ n: 2 });
      expect((await child.receive(isEcho)).value).toEqual({ n: 1 });
      expect((await child.receive(isEcho)).value).toEqual({ n: 2 });
    } finally {
      await child.stop();
    }
  });

  it('kills the child when the signal aborts, and rejects waiters with the reason', async () => {
    const controller = new AbortController();
    const child = start('echo', controller.signal);
    const { pid } = await child.receive(isHello);
    const waiting = child.receive(isEcho);
    controller.abort(new Error('Ctrl-C'));
    await expect(waiting).rejects.toThrow(/fixture echo stopped: Error: Ctrl-C/);
    await child.stop();
    expect(alive(pid)).toBe(false);
  });

  it('SIGKILLs a child that ignores SIGTERM', async () => {
    const child = start('stubborn');
    const { pid } = await child.receive(isHello);
    await child.stop();
    expect(alive(pid)).toBe(false);
  });

  it('rejects with the exit code and the last stderr lines when the child dies first', async () => {
    const child = start('crash');
    await expect(child.receive(isHello)).rejects.toThrow(
      /fixture crash ended with exit code 3: something broke: the fixture crashed on purpose/,
    );
    await child.stop();
  });

  it('refuses to start under an aborted signal', () => {
    expect(() => start('echo', AbortSignal.abort(new Error('already stopped')))).toThrow('already stopped');
  });
});
