import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../util/start-module-worker.ts';
import type { EngineWorkerData } from './engine-worker-protocol.ts';

/** Starts an engine worker (onnx-engine-worker next to this file). */
export function startEngineWorker(data: EngineWorkerData): Worker {
  return startModuleWorker(import.meta.url, 'onnx-engine-worker', { workerData: data });
}
