import { isAbsolute, resolve } from 'node:path';
import type { AxAIService } from '@ax-llm/ax';
import {
  createOnnxEmbedder,
  createSemanticMatcher,
  type Embedder,
  embedderFromProvider,
  type SemanticMatcher,
} from '../src/cache/index.ts';
import { createWorkerOnnxEngine } from '../src/providers/onnx/worker-engine.ts';
import type { Store } from '../src/store/store.ts';

/** The server's semantic cache, as the environment configured it. */
export interface SemanticCacheSetup {
  readonly matcher: SemanticMatcher;
  /** Signatures that use it without asking (`SIGNET_SEMANTIC_CACHE_SIGNATURES`). */
  readonly signatures: ReadonlySet<string> | '*';
  /** For the start-up log. */
  readonly description: string;
  /** Stops the local encoder, if one was started. */
  close(): Promise<void>;
}

/** What the semantic cache may use: the store, and deployments with an embedding model. */
export interface SemanticCacheContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly root: string;
  readonly store: Store;
  readonly deployments: readonly { readonly id: string; readonly ai: AxAIService }[];
}

/**
 * The semantic cache from `SIGNET_SEMANTIC_CACHE_MODEL` (absent: none): either a local encoder folder
 * (e.g. a downloaded all-MiniLM-L6-v2, run in a worker thread), or `<deployment>:<embedding model>` of a
 * configured provider, such as `cloud-openai:text-embedding-3-small`. `SIGNET_SEMANTIC_CACHE_THRESHOLD`
 * sets the similarity (default 0.92), `SIGNET_SEMANTIC_CACHE_SIGNATURES` the signatures that use it by
 * default (comma-separated names, or `*`). A model that cannot be loaded stops start-up, named.
 */
export async function semanticCacheFromEnv(
  context: SemanticCacheContext,
): Promise<SemanticCacheSetup | undefined> {
  const { env } = context;
  const model = env.SIGNET_SEMANTIC_CACHE_MODEL?.trim();
  if (model === undefined || model === '') {
    if (env.SIGNET_SEMANTIC_CACHE_SIGNATURES !== undefined) {
      throw new Error(
        'SIGNET_SEMANTIC_CACHE_SIGNATURES is set but SIGNET_SEMANTIC_CACHE_MODEL is not: set it to an encoder folder (e.g. models/all-MiniLM-L6-v2) or <deployment>:<embedding model>',
      );
    }
    return undefined;
  }
  const threshold = parseThreshold(env.SIGNET_SEMANTIC_CACHE_THRESHOLD);
  const signatures = parseSignatures(env.SIGNET_SEMANTIC_CACHE_SIGNATURES);
  const { embedder, close } = await openEmbedder(model, context);
  try {
    const matcher = createSemanticMatcher({
      embedder,
      store: context.store,
      ...(threshold === undefined ? {} : { threshold }),
    });
    // One embedding now: a model that does not embed fails start-up, not the first request.
    const [probe] = await embedder.embed(['signet semantic cache']);
    const shown = signatures === '*' ? 'all signatures' : [...signatures].join(', ') || 'requests that ask';
    return {
      matcher,
      signatures,
      description: `${embedder.id} (${probe?.length ?? 0} dimensions, threshold ${threshold ?? 0.92}, for ${shown})`,
      close,
    };
  } catch (error) {
    await close();
    throw new Error(
      `SIGNET_SEMANTIC_CACHE_MODEL=${model} cannot embed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

async function openEmbedder(
  model: string,
  context: SemanticCacheContext,
): Promise<{ embedder: Embedder; close: () => Promise<void> }> {
  const separator = model.indexOf(':');
  const deployment =
    separator > 0 ? context.deployments.find((d) => d.id === model.slice(0, separator)) : undefined;
  if (deployment !== undefined) {
    const embedModel = model.slice(separator + 1);
    return {
      embedder: embedderFromProvider(deployment.ai, { model: embedModel, id: model }),
      close: async () => {},
    };
  }
  const dir = isAbsolute(model) ? model : resolve(context.root, model);
  const engine = createWorkerOnnxEngine({ workers: 1 });
  try {
    await engine.load(dir, { task: 'feature-extraction' });
  } catch (error) {
    await engine.dispose();
    const known = context.deployments.map((d) => d.id).join(', ') || 'none';
    throw new Error(
      `SIGNET_SEMANTIC_CACHE_MODEL=${model}: no encoder could be loaded from ${dir} (${error instanceof Error ? error.message : String(error)}). Give a transformers.js encoder folder (config.json, tokenizer.json, onnx/model.onnx; e.g. all-MiniLM-L6-v2), or <deployment>:<embedding model> with a deployment of: ${known}`,
      { cause: error },
    );
  }
  return { embedder: createOnnxEmbedder(engine, dir), close: () => engine.dispose() };
}

function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const threshold = Number(value);
  if (!(threshold > 0 && threshold <= 1)) {
    throw new Error(
      `SIGNET_SEMANTIC_CACHE_THRESHOLD must be a similarity in (0, 1], such as 0.92 (got "${value}")`,
    );
  }
  return threshold;
}

function parseSignatures(value: string | undefined): ReadonlySet<string> | '*' {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.includes('*') ? '*' : new Set(names);
}
