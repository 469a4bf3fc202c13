/**
 * Server child of the http, overhead and memory suites. It runs compiled, under plain node with no tsx,
 * as `npm start` runs the server: `node --expose-gc <SERVER_NODE_FLAGS> dist/bench/suites/
 * http-server.child.js <signet|signet-cached|bare> <providerDelayMs>` with an IPC channel (server-pair.ts builds and
 * starts it). It listens on 127.0.0.1 at a free port, says which, and answers memory requests. It loads
 * only what its variant needs, so its memory is that variant's, and exits when the parent goes away.
 *
 * - `signet`: `buildApp()` with the signature catalog and one scripted deployment answering
 *   `ANSWER_REPLY` after `providerDelayMs`; logger off, auth off (the default), rate limit off, the rest
 *   (metrics with process metrics, load shedding, OpenAPI docs) as `npm start` has them.
 * - `signet-cached`: the same, with the response cache on an embedded store in a temporary folder.
 * - `bare`: Fastify with one route at the same path that parses the body and, after the same delay,
 *   returns the JSON the parent gives it (a real signet response).
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import {
  type ServerChildMessage,
  serverParentMessageSchema,
  serverVariantSchema,
} from './http-server-protocol.ts';
import { ANSWER_REPLY, EXECUTE_PATH } from './http-workload.ts';

/** A fresh scripted provider every this many calls, so its call log never counts as server memory. */
const CALLS_PER_PROVIDER = 500;

const gc = (globalThis as { gc?: () => void }).gc;
const send = (message: ServerChildMessage) => process.send?.(message);

async function main(): Promise<void> {
  const [variantText, delayText] = process.argv.slice(2);
  const variant = serverVariantSchema.safeParse(variantText);
  const delayMs = Number(delayText);
  if (gc === undefined || process.send === undefined) throw new Error('run me with --expose-gc and IPC');
  if (!variant.success || !(delayMs >= 0))
    throw new Error('usage: <signet|signet-cached|bare> <providerDelayMs>');
  process.on('disconnect', () => process.exit(0)); // the parent is gone: never outlive it

  let replyJson: unknown;
  const app =
    variant.data === 'bare'
      ? await buildBare(delayMs, () => replyJson)
      : await buildSignet(delayMs, variant.data === 'signet-cached');
  process.on('message', (raw: unknown) => {
    const message = serverParentMessageSchema.parse(raw);
    if (message.type === 'reply-with') {
      replyJson = JSON.parse(message.json);
      send({ type: 'configured' });
      return;
    }
    if (message.gc) {
      gc();
      gc();
    }
    const usage = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, cpuUs: cpu.user + cpu.system });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  send({ type: 'listening', port: (app.server.address() as AddressInfo).port });
}

async function buildSignet(delayMs: number, cached: boolean): Promise<FastifyInstance> {
  const [{ buildApp }, { createCatalogRegistry }, { createProviderResolver }, { createScriptedProvider }] =
    await Promise.all([
      import('../../server/app.ts'),
      import('../../signatures/index.ts'),
      import('../../server/providers/create-provider-resolver.ts'),
      import('../../src/testing/scripted-provider.ts'),
    ]);
  const { createRecyclingProvider } = await import('./recycling-provider.ts');
  const reply = delayMs > 0 ? { content: ANSWER_REPLY, delayMs } : ANSWER_REPLY;
  const ai = createRecyclingProvider(() => createScriptedProvider({ fallback: reply }), CALLS_PER_PROVIDER);
  const cache = cached ? await openCache() : undefined;
  return buildApp({
    ...(cache === undefined ? {} : { cache }),
    signatures: createCatalogRegistry(),
    providers: createProviderResolver([
      { provider: 'scripted', model: 'scripted-model', ai, roles: ['fast'] },
    ]),
    logger: false,
    rateLimit: false,
  });
}

/** The response cache as `npm start` opens it, on a store in a temporary folder removed at exit. */
async function openCache() {
  const [{ mkdtempSync, rmSync }, { tmpdir }, { join }, { openSqliteStore }, { createCache }] =
    await Promise.all([
      import('node:fs'),
      import('node:os'),
      import('node:path'),
      import('../../src/store/index.ts'),
      import('../../src/cache/index.ts'),
    ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-bench-store-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  process.once('SIGTERM', () => process.exit(0)); // stop() sends SIGTERM: run the exit handler
  // SIGNET_STORE_WRITES as `npm start` reads it: the bench can compare both (default inline).
  const writes = process.env.SIGNET_STORE_WRITES === 'thread' ? 'thread' : 'inline';
  return createCache({ store: openSqliteStore({ dataDir, writes }) });
}

async function buildBare(delayMs: number, reply: () => unknown): Promise<FastifyInstance> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.post(EXECUTE_PATH, async (_request, response) => {
    if (delayMs > 0) await sleep(delayMs);
    const json = reply();
    if (json === undefined) return response.code(503).send({ error: 'not configured yet' });
    return json;
  });
  return app;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
