/** Devices (ONNX Runtime execution providers) transformers.js can run a model on in Node. */
export type OnnxDevice = 'cpu' | 'cuda' | 'coreml' | 'dml' | 'webgpu';

/** Weight formats a model folder may ship; each maps to an `onnx/model<suffix>.onnx` file. */
export type OnnxDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** File-name suffix transformers.js appends to `model` for each dtype (`q8` -> `model_quantized.onnx`). */
export const ONNX_DTYPE_FILE_SUFFIX: Readonly<Record<OnnxDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};
