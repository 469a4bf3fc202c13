export {
  chooseOnnxPlacement,
  type OnnxPlacement,
  type OnnxPlacementOverrides,
} from './choose-onnx-placement.ts';
export type { HardwareInfo, NvidiaGpu } from './hardware-info.ts';
export {
  type ExecutionProviderQuery,
  hasCudaProviderLibrary,
  listOnnxExecutionProviders,
  onnxRuntimeBinDir,
} from './list-onnx-execution-providers.ts';
export { ONNX_DTYPE_FILE_SUFFIX, type OnnxDevice, type OnnxDtype } from './onnx-device.ts';
export { type ProbeHardwareOptions, probeHardware } from './probe-hardware.ts';
export {
  type NvidiaQueryOptions,
  type NvidiaQueryResult,
  parseNvidiaSmiCsv,
  queryNvidiaGpus,
} from './query-nvidia-gpus.ts';
