import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { CloudProviderKind } from '../providers/cloud/cloud-kind-specs.ts';
import { cloudProviderStatus } from '../providers/cloud/cloud-provider-status.ts';
import { createCloudProvider } from '../providers/cloud/create-cloud-provider.ts';
import { chooseOnnxPlacement } from '../providers/hardware/choose-onnx-placement.ts';
import { probeHardware } from '../providers/hardware/probe-hardware.ts';
import { checkOllamaHealth } from '../providers/ollama/check-ollama-health.ts';
import { createOllamaProvider } from '../providers/ollama/create-ollama-provider.ts';
import { listOllamaModels } from '../providers/ollama/list-ollama-models.ts';
import type { OnnxEngineWarning } from '../providers/onnx/onnx-engine-options.ts';
import { createOnnxProvider } from '../providers/onnx/onnx-provider.ts';
import { createWorkerOnnxEngine } from '../providers/onnx/worker-engine.ts';
import type { SignetProvider } from '../providers/shared/signet-provider.ts';
import type { DeploymentConfig } from '../router/deployment.ts';
import { readBulkheadEnv } from './read-bulkhead-env.ts';

/** Where discovery looks and what it may use. Everything has an embedded default. */
export interface DiscoveryOptions {
  /** Environment to read (`SIGNET_LOCAL_MODEL`, `OLLAMA_HOST`, cloud keys...). */
  readonly env?: NodeJS.ProcessEnv;
  /** Folders scanned for local ONNX model folders (default `models/` under `root`). */
  readonly onnxDirs?: readonly string[];
  /** Project root for relative paths (default the working directory). */
  readonly root?: string;
  /** Default cloud model per kind. */
  readonly cloudModels?: Partial<Record<CloudProviderKind, string>>;
  /** How long to wait for Ollama before deciding it is not running (default 800 ms). */
  readonly ollamaTimeoutMs?: number;
  /** Cancels discovery. */
  readonly signal?: AbortSignal;
  /** Receives the local ONNX engine's warnings (device fallback, a worker restarted) while it serves. */
  readonly onEngineWarning?: (warning: OnnxEngineWarning) => void;
}

/** What discovery found: deployments in fallback order and a human-readable account of each choice. */
export interface DiscoveredDeployments {
  readonly deployments: readonly DeploymentConfig[];
  /** One line per provider looked at: what was found or why it was skipped and how to enable it. */
  readonly notes: readonly string[];
  /** Releases local models and connections. */
  close(): Promise<void>;
}

const DEFAULT_CLOUD_MODELS: Record<CloudProviderKind, string | undefined> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.0-flash',
  huggingface: 'meta-llama/Llama-3.1-8B-Instruct',
  'openai-compatible': undefined,
};

/**
 * Finds the providers this machine can use, in the order a request should try them: a local ONNX model
 * (in-process, private), then Ollama (if running), then cloud models whose keys are set. Nothing here
 * throws for a missing provider: it is noted, with how to add it.
 */
export async function discoverDeployments(options: DiscoveryOptions = {}): Promise<DiscoveredDeployments> {
  const env = options.env ?? process.env;
  const root = options.root ?? process.cwd();
  const deployments: DeploymentConfig[] = [];
  const notes: string[] = [];
  const providers: SignetProvider[] = [];
  // Bulkheads of deployments over HTTP; read first, so a bad value stops start-up before anything loads.
  const ollamaPolicy = readBulkheadEnv(env, 'OLLAMA');
  const cloudPolicy = readBulkheadEnv(env, 'CLOUD');

  const local = await discoverLocal(
    env,
    root,
    options.onnxDirs ?? ['models'],
    notes,
    options.onEngineWarning,
  );
  if (local !== undefined) {
    providers.push(local);
    deployments.push({ id: 'local-onnx', ai: local });
  }

  const ollama = await discoverOllama(env, options.ollamaTimeoutMs ?? 800, notes, options.signal);
  if (ollama !== undefined) {
    providers.push(ollama);
    deployments.push({
      id: 'ollama',
      ai: ollama,
      ...(ollamaPolicy === undefined ? {} : { policy: ollamaPolicy }),
    });
  }

  for (const status of cloudProviderStatus(env)) {
    const model =
      env[`SIGNET_${status.kind.toUpperCase().replace('-', '_')}_MODEL`] ??
      options.cloudModels?.[status.kind] ??
      DEFAULT_CLOUD_MODELS[status.kind];
    if (!status.available) {
      notes.push(`cloud ${status.kind}: off (${status.hint ?? 'not configured'})`);
      continue;
    }
    if (model === undefined) {
      notes.push(
        `cloud ${status.kind}: off (set SIGNET_${status.kind.toUpperCase().replace('-', '_')}_MODEL)`,
      );
      continue;
    }
    const provider = createCloudProvider({ kind: status.kind, model, env });
    providers.push(provider);
    deployments.push({
      id: `cloud-${status.kind}`,
      ai: provider,
      ...(cloudPolicy === undefined ? {} : { policy: cloudPolicy }),
    });
    notes.push(`cloud ${status.kind}: ${model} (key from ${status.keyEnv ?? 'config'})`);
  }

  return {
    deployments,
    notes,
    close: async () => {
      await Promise.allSettled(providers.map((p) => p.close?.()));
    },
  };
}

async function discoverLocal(
  env: NodeJS.ProcessEnv,
  root: string,
  dirs: readonly string[],
  notes: string[],
  onEngineWarning: ((warning: OnnxEngineWarning) => void) | undefined,
): Promise<SignetProvider | undefined> {
  const allowDownloads = env.SIGNET_ALLOW_DOWNLOADS === '1' || env.SIGNET_ALLOW_DOWNLOADS === 'true';
  const configured = env.SIGNET_LOCAL_MODEL;
  const found =
    configured ?? firstModelFolder(dirs.map((dir) => (isAbsolute(dir) ? dir : resolve(root, dir))));
  if (found === undefined) {
    notes.push(
      'local onnx: none (put a transformers.js model folder under models/, set SIGNET_LOCAL_MODEL, or run `npm run demo`)',
    );
    return undefined;
  }
  const hardware = await probeHardware();
  const placement = chooseOnnxPlacement(hardware);
  // Models run in worker threads: onnxruntime's synchronous runs never block the server's event loop,
  // and small models get a replica per core (docs/local-models.md, "Worker threads").
  const engine = createWorkerOnnxEngine({
    device: placement.device,
    dtype: placement.dtype,
    allowDownloads,
    ...(onEngineWarning === undefined ? {} : { onWarning: onEngineWarning }),
  });
  try {
    const provider = await createOnnxProvider({ engine, model: found });
    notes.push(`local onnx: ${found} on ${placement.device}/${placement.dtype} (${placement.reason})`);
    return { ...provider, close: () => engine.dispose() };
  } catch (error) {
    await engine.dispose();
    notes.push(
      `local onnx: ${found} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}

function firstModelFolder(dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const folder = join(dir, entry.name);
      if (
        entry.isDirectory() &&
        existsSync(join(folder, 'config.json')) &&
        existsSync(join(folder, 'tokenizer.json'))
      ) {
        return folder;
      }
    }
  }
  return undefined;
}

async function discoverOllama(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  notes: string[],
  signal: AbortSignal | undefined,
): Promise<SignetProvider | undefined> {
  if (env.SIGNET_OLLAMA === 'off') {
    notes.push('ollama: off (SIGNET_OLLAMA=off)');
    return undefined;
  }
  const health = await checkOllamaHealth({ env, timeoutMs, ...(signal === undefined ? {} : { signal }) });
  if (!health.ok) {
    notes.push(`ollama: not reachable (${health.message ?? 'no answer'}); start it with \`ollama serve\``);
    return undefined;
  }
  const model =
    env.SIGNET_OLLAMA_MODEL ??
    (await listOllamaModels({ env, ...(signal === undefined ? {} : { signal }) }))
      .map((m) => m.name)
      .find((name) => !/embed/i.test(name));
  if (model === undefined) {
    notes.push('ollama: running but has no chat model (run `ollama pull llama3.2`)');
    return undefined;
  }
  notes.push(`ollama: ${model}`);
  return createOllamaProvider({ model, env });
}
