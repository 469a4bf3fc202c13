import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { knownModelStrengths } from './known-model-strengths.ts';
import type { ModelInfo } from './model-info.ts';
import type { ModelSource } from './model-source.ts';

/** Options of {@link onnxFolderSource}. */
export interface OnnxFolderSourceOptions {
  /** Folders to scan: each may be a model folder or hold model folders up to two levels down (`org/name`). */
  readonly dirs: readonly string[];
  /** Source id (default `onnx`). */
  readonly id?: string;
}

/** Encoder architectures transformers.js runs as feature extractors (embeddings), not text generators. */
const ENCODER_TYPES = new Set([
  'bert',
  'roberta',
  'xlm-roberta',
  'distilbert',
  'mpnet',
  'nomic_bert',
  'modernbert',
  'electra',
  'deberta',
  'deberta-v2',
  'new',
]);

/** File-name suffix before `.onnx` -> weight format, as transformers.js names them. */
const DTYPE_SUFFIXES: readonly (readonly [string, string])[] = [
  ['_q4f16', 'q4f16'],
  ['_fp16', 'fp16'],
  ['_quantized', 'q8'],
  ['_uint8', 'uint8'],
  ['_int8', 'int8'],
  ['_bnb4', 'bnb4'],
  ['_q4', 'q4'],
];

const MAX_DEPTH = 2;

function numberField(config: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dtypeOf(file: string): string | undefined {
  const match = /^(.+?)\.onnx(_data(_\d+)?)?$/.exec(file);
  if (match === null) return undefined;
  const stem = match[1] ?? '';
  return DTYPE_SUFFIXES.find(([suffix]) => stem.endsWith(suffix))?.[1] ?? 'fp32';
}

/** Bytes per weight format, summing every session file and its external data. */
async function bytesByDtype(onnxDir: string, files: readonly string[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const file of files) {
    const dtype = dtypeOf(file);
    if (dtype === undefined) continue;
    totals.set(dtype, (totals.get(dtype) ?? 0) + (await stat(join(onnxDir, file))).size);
  }
  return totals;
}

/** Files and symlinks (Hugging Face caches link files into a blob store). */
function isFileLike(entry: Dirent): boolean {
  return entry.isFile() || entry.isSymbolicLink();
}

async function listNames(dir: string): Promise<Dirent[] | undefined> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return undefined;
    throw error;
  }
}

async function readModelFolder(
  folder: string,
  sourceId: string,
  signal: AbortSignal,
): Promise<ModelInfo | undefined> {
  const entries = await listNames(folder);
  const names = new Set(entries?.filter(isFileLike).map((e) => e.name));
  if (!names.has('config.json') || !names.has('tokenizer.json')) return undefined;
  const onnxFiles = (await listNames(join(folder, 'onnx')))?.filter(isFileLike).map((e) => e.name) ?? [];
  if (!onnxFiles.some((file) => file.endsWith('.onnx'))) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(await readFile(join(folder, 'config.json'), { encoding: 'utf8', signal }));
  } catch (error) {
    if (signal.aborted) throw error;
    return undefined; // Not loadable by transformers.js either; skip rather than fail the whole source.
  }
  if (!isRecord(config)) return undefined;
  const text = isRecord(config.text_config) ? { ...config, ...config.text_config } : config;
  const modelType = typeof text.model_type === 'string' ? text.model_type : undefined;
  const hidden = numberField(text, ['hidden_size', 'n_embd', 'd_model']);
  const layers = numberField(text, ['num_hidden_layers', 'n_layer', 'num_layers']);
  const vocab = numberField(text, ['vocab_size']) ?? 0;
  // Standard transformer estimate: 12·L·d² for the blocks plus the embedding table.
  const parameterCount =
    hidden !== undefined && layers !== undefined ? 12 * layers * hidden ** 2 + vocab * hidden : undefined;
  // The smallest weight format the folder ships: the least memory this model can run in.
  const smallest = [...(await bytesByDtype(join(folder, 'onnx'), onnxFiles))].sort((a, b) => a[1] - b[1])[0];
  const embeddings = modelType !== undefined && ENCODER_TYPES.has(modelType);
  const name = basename(folder);
  return {
    id: `onnx:${folder}`,
    provider: 'onnx',
    name,
    source: sourceId,
    family: modelType,
    contextLength: numberField(text, [
      'max_position_embeddings',
      'n_positions',
      'n_ctx',
      'max_sequence_length',
    ]),
    parameterCount,
    quantization: smallest?.[0],
    memoryBytes: smallest?.[1],
    strengths: knownModelStrengths(name, modelType, parameterCount),
    chat: !embeddings,
    tools: false,
    vision: isRecord(config.vision_config),
    embeddings,
    local: true,
    needsKey: false,
    keyPresent: true,
    keyEnv: undefined,
  };
}

/**
 * Finds transformers.js model folders (a folder with `config.json`, `tokenizer.json` and `onnx/*.onnx`)
 * under the given directories and describes them from `config.json` and the `.onnx` file sizes.
 * Missing directories are skipped; a folder whose `config.json` is not valid JSON is skipped.
 */
export function onnxFolderSource(options: OnnxFolderSourceOptions): ModelSource {
  const id = options.id ?? 'onnx';
  const visit = async (
    dir: string,
    depth: number,
    found: ModelInfo[],
    signal: AbortSignal,
  ): Promise<void> => {
    signal.throwIfAborted();
    const model = await readModelFolder(dir, id, signal);
    if (model !== undefined) {
      found.push(model);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const children = (await listNames(dir)) ?? [];
    for (const child of children) {
      const folderLike = child.isDirectory() || child.isSymbolicLink();
      if (folderLike && !child.name.startsWith('.') && child.name !== 'onnx')
        await visit(join(dir, child.name), depth + 1, found, signal);
    }
  };
  return {
    id,
    async list(signal) {
      const found: ModelInfo[] = [];
      for (const dir of options.dirs) await visit(resolve(dir), 0, found, signal);
      return found;
    },
  };
}
