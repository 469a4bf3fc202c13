import type { Options } from 'ollama';
import type { ProviderDevice } from '../shared/provider-capabilities.ts';
import type { SignetProvider } from '../shared/signet-provider.ts';
import type { OllamaConnectionOptions } from './ollama-connection.ts';
import type { OllamaStructuredOutput } from './ollama-format.ts';
import type { OllamaModelInfo } from './ollama-model-info.ts';

/** Options of `createOllamaProvider`. */
export interface OllamaProviderOptions extends OllamaConnectionOptions {
  /** Chat model, `name:tag` (a name without a tag means `:latest`); a call's `model` overrides it. */
  readonly model: string;
  /** Model `embed()` uses (default: `model`); e.g. `nomic-embed-text`. */
  readonly embedModel?: string | undefined;
  /**
   * How long Ollama keeps the model loaded after a call (`keep_alive`): a duration (`'10m'`), seconds,
   * `-1` to keep it forever or `0` to unload at once. Unset: Ollama's default, 5 minutes.
   */
  readonly keepAlive?: string | number | undefined;
  /** Context window to run the model with (`options.num_ctx`); unset: the server's default. */
  readonly numCtx?: number | undefined;
  /** What `showOllamaModel` reported; fills the context window and tool/vision/thinking support. */
  readonly modelInfo?: OllamaModelInfo | undefined;
  /** Raw Ollama options sent with every chat (`seed`, `num_gpu`...); per-call model config wins. */
  readonly ollamaOptions?: Readonly<Partial<Options>> | undefined;
  /** How a program's output schema reaches Ollama's `format` (default `schema`: constrained decoding). */
  readonly structuredOutput?: OllamaStructuredOutput | undefined;
  /** Whether to offer native tool calling (default: from `modelInfo` capabilities, else true). */
  readonly tools?: boolean | undefined;
  /** Device to report (default `metal` on Apple silicon, else `cpu`; Ollama does not say). */
  readonly device?: ProviderDevice | undefined;
  /** Requests Ollama runs at once for this model (default: `OLLAMA_NUM_PARALLEL` from `env`, else 4). */
  readonly maxConcurrency?: number | undefined;
  /** Timeout of `health()` in ms (default 2000). */
  readonly healthTimeoutMs?: number | undefined;
  /** Provider name in usage and traces (default `ollama`). */
  readonly name?: string | undefined;
}

/** A signet provider backed by an Ollama server. */
export interface OllamaProvider extends SignetProvider {
  /** The default chat model. */
  readonly model: string;
  /** The server address requests go to. */
  readonly host: string;
}
