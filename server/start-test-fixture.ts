/**
 * A tiny server for the shutdown test: a scripted provider that takes 500 ms per call, the graceful
 * shutdown handler, and one JSON line per event on stdout (`listening` with the port, `provider-call`
 * when a model call starts) so the test can synchronize without sleeping.
 */
import { createSignatureRegistry, defineSignature } from '../src/index.ts';
import { createScriptedProvider } from '../src/testing/index.ts';
import { buildApp } from './app.ts';
import { createProviderResolver } from './providers/create-provider-resolver.ts';
import { installShutdown } from './shutdown.ts';

const signature = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string -> answer:string',
});
const ai = createScriptedProvider({
  fallback: () => {
    process.stdout.write(`${JSON.stringify({ event: 'provider-call' })}\n`);
    return { content: 'Answer: Paris', delayMs: 500 };
  },
});
const app = await buildApp({
  signatures: createSignatureRegistry([signature]),
  providers: createProviderResolver([{ provider: 'scripted', model: 'scripted-model', ai }]),
  logger: false,
  metrics: { enabled: false },
  docs: false,
});
installShutdown(app, { deadlineMs: 5_000 });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
process.stdout.write(`${JSON.stringify({ event: 'listening', port })}\n`);
