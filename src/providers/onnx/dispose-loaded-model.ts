import type { LoadedOnnxModel } from './load-onnx-model.ts';

/** Releases the ONNX sessions of a loaded model. */
export async function disposeLoadedModel(loaded: LoadedOnnxModel): Promise<void> {
  if (loaded.task === 'text-generation') await loaded.model.dispose();
  else await loaded.extractor.dispose();
}
