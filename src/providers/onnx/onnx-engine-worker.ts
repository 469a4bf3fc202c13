/**
 * Entry of an ONNX engine worker thread: runs one in-process engine (`createOnnxEngine`, with its
 * batching, prefix sharing and model cache) and serves the messages of engine-worker-protocol.ts.
 * Started by `createWorkerOnnxEngine`; not meant to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineWorkerData, FromEngineWorker, ToEngineWorker } from './engine-worker-protocol.ts';
import { createOnnxEngine } from './onnx-engine.ts';
import type { OnnxGenerateRequest } from './onnx-generate-request.ts';
import { toWorkerError } from './worker-error.ts';

const port = parentPort;
if (port === null) throw new Error('onnx-engine-worker.ts runs only as a worker thread');
const { settings } = workerData as EngineWorkerData;
const { forwardProgress, ...engineOptions } = settings;
const post = (message: FromEngineWorker): void => port.postMessage(message);

const engine = createOnnxEngine({
  ...engineOptions,
  onWarning: (warning) => post({ type: 'warning', warning }),
  ...(forwardProgress ? { onProgress: (progress) => post({ type: 'progress', progress }) } : {}),
});
const cancels = new Map<number, AbortController>();

/** Runs one call and answers it with its value or error. */
const answer = (id: number, work: (signal: AbortSignal) => Promise<unknown>): void => {
  const controller = new AbortController();
  cancels.set(id, controller);
  void work(controller.signal)
    .then(
      (value) => post({ type: 'result', id, value: (value ?? null) as never, models: engine.models() }),
      (error: unknown) => post({ type: 'error', id, error: toWorkerError(error), models: engine.models() }),
    )
    .finally(() => cancels.delete(id));
};

port.on('message', (message: ToEngineWorker) => {
  switch (message.type) {
    case 'generate':
      // Started in one synchronous loop, so the engine takes them into one batched pass.
      for (const { id, request } of message.requests) {
        const { stream, ...fields } = request;
        answer(id, (signal) => {
          const generate: OnnxGenerateRequest = {
            ...fields,
            signal,
            ...(stream ? { onToken: (text: string) => post({ type: 'delta', id, text }) } : {}),
          };
          return engine.generate(generate);
        });
      }
      return;
    case 'load':
      answer(message.id, () => engine.load(message.modelRef, message.options));
      return;
    case 'embed':
      answer(message.id, (signal) => engine.embed({ model: message.model, texts: message.texts, signal }));
      return;
    case 'cancel':
      cancels.get(message.id)?.abort();
      return;
    case 'dispose':
      answer(message.id, () => engine.dispose());
      return;
  }
});
