import type { AddressInfo } from 'node:net';
import { type AxChatResponse, AxMockAIService } from '@ax-llm/ax';
import { type BuildAppOptions, buildApp, type SignetApp } from '../../server/app.ts';
import { type ApiKeyScope, generateApiKey } from '../../server/auth/api-key.ts';
import { type ApiKeyStore, createMemoryApiKeyStore } from '../../server/auth/api-key-store.ts';
import type { DeploymentHealth, ProviderResolver } from '../../server/provider-resolver.ts';
import {
  createProviderResolver,
  type ProviderDeployment,
} from '../../server/providers/create-provider-resolver.ts';
import { createSignatureRegistry, defineSignature } from '../../src/index.ts';
import {
  createScriptedProvider,
  type ScriptedProvider,
  type ScriptedProviderOptions,
} from '../../src/testing/index.ts';

/** The signature most server tests run. */
export const answerQuestion = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string -> answer:string, confidence:number(min 0, max 1)',
});

/** A second signature, so catalogs have more than one entry. */
export const summarizeTicket = defineSignature({
  name: 'summarize-ticket',
  version: '1.0.0',
  description: 'Summarize a support ticket',
  tags: ['support'],
  signature: 'ticketBody:string -> summary:string',
});

/** The reply a scripted model gives to answer-question. */
export const PARIS = 'Answer: Paris\nConfidence: 0.9';

/** A scripted provider answering every call with `PARIS` unless told otherwise. */
export function scripted(options: ScriptedProviderOptions = {}): ScriptedProvider {
  return createScriptedProvider({ fallback: PARIS, ...options });
}

/** A resolver over scripted deployments. */
export function resolverFor(...deployments: ProviderDeployment[]): ProviderResolver {
  return createProviderResolver(deployments);
}

/** A resolver that reports the given health (e.g. an open breaker), as a router would. */
export function resolverWithHealth(
  base: ProviderResolver,
  health: readonly DeploymentHealth[],
): ProviderResolver {
  return { resolve: (r) => base.resolve(r), list: () => base.list(), health: async () => health };
}

/** Options for `testApp`: everything optional; by default one scripted provider and quiet logs. */
export type TestAppOptions = Partial<BuildAppOptions> & { readonly ai?: ScriptedProvider };

/** Builds an app with test defaults: no logs, no docs, no default process metrics, no load shedding. */
export async function testApp(options: TestAppOptions = {}): Promise<SignetApp> {
  const ai = options.ai ?? scripted();
  return buildApp({
    signatures: createSignatureRegistry([answerQuestion, summarizeTicket]),
    providers: resolverFor({ provider: 'scripted', model: 'scripted-model', ai, roles: ['fast'] }),
    logger: false,
    docs: false,
    loadShedding: false,
    ...options,
    metrics: { defaultMetrics: false, ...options.metrics },
  });
}

/** Listens on 127.0.0.1 with a free port and returns the base URL. */
export async function listen(app: SignetApp): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** One parsed server-sent event. */
export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** Splits an SSE body into events (comments skipped). */
export function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line !== '' && !line.startsWith(':')))
    .filter((lines) => lines.length > 0)
    .map((lines) => ({
      event: lines.find((l) => l.startsWith('event: '))?.slice(7),
      data: lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n'),
    }));
}

/** A memory key store holding one key per scope set; returns the store and the full keys. */
export async function keysFor(
  ...entries: { name: string; scopes: readonly ApiKeyScope[] }[]
): Promise<{ store: ApiKeyStore; keys: Record<string, string> }> {
  const store = createMemoryApiKeyStore();
  const keys: Record<string, string> = {};
  for (const entry of entries) {
    const generated = generateApiKey();
    await store.add({
      prefix: generated.prefix,
      name: entry.name,
      scopes: entry.scopes,
      createdAt: new Date(0).toISOString(),
      secretHash: generated.secretHash,
    });
    keys[entry.name] = generated.key;
  }
  return { store, keys };
}

/** A provider that streams its reply in chunks, the way Ax's HTTP providers do. */
export function streamingProvider(parts: readonly string[], failAfter?: number) {
  return new AxMockAIService<string>({
    name: 'streamer',
    modelInfo: { name: 'stream-model' },
    features: { functions: false, streaming: true },
    chatResponse: async () => {
      let index = 0;
      return new ReadableStream<AxChatResponse>({
        pull(controller) {
          if (index === failAfter) return controller.error(new Error('upstream connection reset'));
          const content = parts[index++];
          if (content !== undefined) return controller.enqueue({ results: [{ index: 0, content }] });
          controller.enqueue({
            results: [{ index: 0, content: '', finishReason: 'stop' }],
            modelUsage: {
              ai: 'streamer',
              model: 'stream-model',
              tokens: { promptTokens: 7, completionTokens: 3, totalTokens: 10 },
            },
          });
          controller.close();
        },
      });
    },
  });
}
