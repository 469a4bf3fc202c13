import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ONNX_DTYPE_FILE_SUFFIX, type OnnxDtype } from '../hardware/onnx-device.ts';

/** A model reference resolved to what transformers.js should load and where its files live. */
export interface ResolvedModelRef {
  /** `local` for a folder path, `hub` for a Hugging Face model id such as `onnx-community/Qwen3-0.6B-ONNX`. */
  readonly kind: 'local' | 'hub';
  /** What to pass to `from_pretrained`: the absolute folder, or the hub id. */
  readonly id: string;
  /** Folder where the model's files are (or would be, once downloaded into `cacheDir`). */
  readonly folder: string | undefined;
}

/**
 * Resolves a model reference: absolute paths and paths starting with `./` or `../` are local folders
 * (made absolute); anything else is a hub id, whose files live in `cacheDir/<id>` once downloaded.
 */
export function resolveModelRef(ref: string, cacheDir: string | undefined): ResolvedModelRef {
  if (isAbsolute(ref) || ref.startsWith('./') || ref.startsWith('../') || ref === '.') {
    const folder = resolve(ref);
    return { kind: 'local', id: folder, folder };
  }
  return { kind: 'hub', id: ref, folder: cacheDir === undefined ? undefined : join(cacheDir, ref) };
}

const SUFFIX_TO_DTYPE = new Map<string, OnnxDtype>(
  Object.entries(ONNX_DTYPE_FILE_SUFFIX).map(([dtype, suffix]) => [suffix, dtype as OnnxDtype]),
);

async function onnxFiles(folder: string): Promise<string[]> {
  try {
    return await readdir(join(folder, 'onnx'));
  } catch {
    return [];
  }
}

/**
 * Dtypes a model folder ships, read from its `onnx/` file names (`model.onnx` -> fp32,
 * `model_quantized.onnx` -> q8, `model_fp16.onnx` -> fp16, ...). Empty when the folder has none.
 * Only the first session (`model*.onnx`) is considered.
 */
export async function listModelDtypes(folder: string): Promise<OnnxDtype[]> {
  const found: OnnxDtype[] = [];
  for (const file of await onnxFiles(folder)) {
    const match = /^model(.*)\.onnx$/.exec(file);
    const dtype = match === null ? undefined : SUFFIX_TO_DTYPE.get(match[1] ?? '');
    if (dtype !== undefined && !found.includes(dtype)) found.push(dtype);
  }
  return found;
}

/**
 * Estimated memory a loaded model takes: the bytes of its ONNX files for `dtype`, external data included
 * (`model.onnx`, `model.onnx_data`, `decoder_model_merged_fp16.onnx`, ...). 0 when nothing is found.
 */
export async function estimateModelBytes(folder: string | undefined, dtype: OnnxDtype): Promise<number> {
  if (folder === undefined) return 0;
  const suffix = ONNX_DTYPE_FILE_SUFFIX[dtype];
  const pattern = new RegExp(`^[a-z_]+?${suffix}\\.onnx(_data(_\\d+)?)?$`);
  let total = 0;
  for (const file of await onnxFiles(folder)) {
    if (!pattern.test(file)) continue;
    if (suffix === '' && /_(fp16|quantized|int8|uint8|q4|q4f16|bnb4)\.onnx/.test(file)) continue;
    total += (await stat(join(folder, 'onnx', file))).size;
  }
  return total;
}
