import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EngineWorkerData } from './engine-worker-protocol.ts';

/**
 * Starts an engine worker (onnx-engine-worker next to this file): the `.js` entry in dist, run by plain
 * node. From `.ts` sources (tsx, vitest) a small bootstrap registers tsx inside the worker first: on
 * Node 20, `execArgv: ['--import', 'tsx']` does not reach a worker's `.ts` entry
 * (ERR_UNKNOWN_FILE_EXTENSION).
 */
export function startEngineWorker(data: EngineWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./onnx-engine-worker.js', import.meta.url), { workerData: data });
  const entry = new URL('./onnx-engine-worker.ts', import.meta.url).href;
  // tsx's ESM API (`exports['./esm/api'].import`), next to the CommonJS file `require` resolves.
  const tsx = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs'),
  );
  const bootstrap = `import(${JSON.stringify(tsx.href)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
