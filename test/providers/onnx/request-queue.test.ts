import { describe, expect, it } from 'vitest';
import { createRequestQueue } from '../../../src/providers/onnx/request-queue.ts';

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('createRequestQueue', () => {
  it('runs one task at a time in arrival order', async () => {
    const queue = createRequestQueue({ maxPending: 10, name: 'm' });
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (id: string) => async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${id}`);
      await tick();
      log.push(`end ${id}`);
      running -= 1;
      return id;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((id) => queue.run(task(id))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(maxRunning).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.busy).toBe(false);
  });

  it('keeps going after a task fails', async () => {
    const queue = createRequestQueue({ maxPending: 10, name: 'm' });
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    const next = queue.run(async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('rejects beyond maxPending with SIGNET_PROVIDER_UNAVAILABLE, but not internal tasks', async () => {
    const queue = createRequestQueue({ maxPending: 1, name: 'tiny' });
    const first = queue.run(() => tick(10));
    const second = queue.run(() => tick(1));
    await expect(queue.run(() => tick(1))).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('"tiny"'),
    });
    const internal = queue.run(async () => 'disposed', { internal: true });
    expect(queue.pending).toBe(2);
    await Promise.all([first, second]);
    await expect(internal).resolves.toBe('disposed');
  });

  it('drops a waiting task whose signal aborts, without running it', async () => {
    const queue = createRequestQueue({ maxPending: 5, name: 'm' });
    let ran = false;
    const blocker = queue.run(() => tick(20));
    const controller = new AbortController();
    const waiting = queue.run(
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    expect(queue.pending).toBe(0);
    await blocker;
    expect(ran).toBe(false);
  });
});
