import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry module is `name` beside the calling module (`from`, its
 * `import.meta.url`): the `.js` entry in dist, run by plain node. From `.ts` sources (tsx, vitest) a
 * small bootstrap registers tsx inside the worker first: on Node 20, `execArgv: ['--import', 'tsx']`
 * does not reach a worker's `.ts` entry (ERR_UNKNOWN_FILE_EXTENSION).
 */
export function startModuleWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), options);
  const entry = new URL(`./${name}.ts`, from).href;
  // tsx's ESM API (`exports['./esm/api'].import`), next to the CommonJS file `require` resolves.
  const tsx = pathToFileURL(join(dirname(createRequire(from).resolve('tsx/esm/api')), 'index.mjs'));
  const bootstrap = `import(${JSON.stringify(tsx.href)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  return new Worker(bootstrap, { ...options, eval: true });
}
