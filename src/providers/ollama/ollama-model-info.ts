import { numberField, recordOf, stringField, stringsField, timestampField } from './wire-fields.ts';

/** An installed Ollama model, as the model registry sees it. Fields Ollama did not report are undefined. */
export interface OllamaModelInfo {
  /** Full name with tag, e.g. `llama3.2:3b` (a name without a tag means `:latest`). */
  readonly name: string;
  /** Architecture family, e.g. `llama`, `qwen2`, `nomic-bert`. */
  readonly family: string | undefined;
  /** Every family the model belongs to (adapters add theirs). */
  readonly families: readonly string[];
  /** File format, normally `gguf`. */
  readonly format: string | undefined;
  /** Parameter count as Ollama labels it, e.g. `3.2B`, `137M`. */
  readonly parameterSize: string | undefined;
  /** Parameter count as a number: exact from `/api/show`, else parsed from the label. */
  readonly parameterCount: number | undefined;
  /** Quantization, e.g. `Q4_K_M`, `F16`. */
  readonly quantization: string | undefined;
  /** Context length the model was trained for (only `/api/show` reports it). Ollama runs with `num_ctx`. */
  readonly contextLength: number | undefined;
  /** Embedding width (only `/api/show`). */
  readonly embeddingLength: number | undefined;
  /** Size on disk in bytes (only `/api/tags`). */
  readonly sizeBytes: number | undefined;
  /** When the model was last pulled or created, ISO-8601 UTC. */
  readonly modifiedAt: string | undefined;
  /** Content digest (sha256 hex; only `/api/tags`). */
  readonly digest: string | undefined;
  /** What it can do per `/api/show`: `completion`, `tools`, `vision`, `embedding`, `thinking`, `insert`. */
  readonly capabilities: readonly string[];
}

const SCALE: Readonly<Record<string, number>> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

/** Parses Ollama's parameter label (`3.2B`, `137M`, `8x7B`); undefined when it is not one. */
export function parseParameterSize(label: string | undefined): number | undefined {
  const match = /^\s*(?:(\d+)\s*x\s*)?(\d+(?:\.\d+)?)\s*([KMBT])\s*$/i.exec(label ?? '');
  if (match === null) return undefined;
  const experts = match[1] === undefined ? 1 : Number(match[1]);
  return Math.round(experts * Number(match[2]) * (SCALE[(match[3] ?? '').toUpperCase()] ?? 1));
}

/** Adds `:latest` to a model name without a tag, the way Ollama resolves it. */
export function withDefaultTag(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

/** Model info from one `/api/tags` entry. */
export function modelInfoFromTag(entry: unknown): OllamaModelInfo | undefined {
  const name = stringField(entry, 'name') ?? stringField(entry, 'model');
  if (name === undefined) return undefined;
  const details = recordOf(recordOf(entry)?.details);
  const parameterSize = stringField(details, 'parameter_size');
  return {
    name,
    family: stringField(details, 'family'),
    families: stringsField(details, 'families'),
    format: stringField(details, 'format'),
    parameterSize,
    parameterCount: parseParameterSize(parameterSize),
    quantization: stringField(details, 'quantization_level'),
    contextLength: undefined,
    embeddingLength: undefined,
    sizeBytes: numberField(entry, 'size'),
    modifiedAt: timestampField(entry, 'modified_at'),
    digest: stringField(entry, 'digest'),
    capabilities: [],
  };
}

/** Model info from a `/api/show` answer; `base` (from `/api/tags`) fills what show lacks. */
export function modelInfoFromShow(name: string, show: unknown, base?: OllamaModelInfo): OllamaModelInfo {
  const details = recordOf(recordOf(show)?.details);
  const modelInfo = recordOf(recordOf(show)?.model_info);
  const architecture = stringField(modelInfo, 'general.architecture');
  const parameterSize = stringField(details, 'parameter_size') ?? base?.parameterSize;
  const capabilities = stringsField(show, 'capabilities');
  return {
    name,
    family: stringField(details, 'family') ?? architecture ?? base?.family,
    families:
      stringsField(details, 'families').length > 0
        ? stringsField(details, 'families')
        : (base?.families ?? []),
    format: stringField(details, 'format') ?? base?.format,
    parameterSize,
    parameterCount: numberField(modelInfo, 'general.parameter_count') ?? parseParameterSize(parameterSize),
    quantization: stringField(details, 'quantization_level') ?? base?.quantization,
    contextLength: archField(modelInfo, architecture, 'context_length'),
    embeddingLength: archField(modelInfo, architecture, 'embedding_length'),
    sizeBytes: base?.sizeBytes,
    modifiedAt: timestampField(show, 'modified_at') ?? base?.modifiedAt,
    digest: base?.digest,
    capabilities: capabilities.length > 0 ? capabilities : (base?.capabilities ?? []),
  };
}

/** `<architecture>.<key>` from model_info, else the only `*.<key>` entry. */
function archField(
  modelInfo: Readonly<Record<string, unknown>> | undefined,
  architecture: string | undefined,
  key: string,
): number | undefined {
  if (modelInfo === undefined) return undefined;
  const exact = architecture === undefined ? undefined : numberField(modelInfo, `${architecture}.${key}`);
  if (exact !== undefined) return exact;
  const candidates = Object.keys(modelInfo).filter((k) => k.endsWith(`.${key}`));
  return candidates.length === 1 && candidates[0] !== undefined
    ? numberField(modelInfo, candidates[0])
    : undefined;
}
