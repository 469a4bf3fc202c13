import type { HardwareInfo } from './hardware-info.ts';
import type { OnnxDevice, OnnxDtype } from './onnx-device.ts';

/** Where and in which weight format to run an ONNX model, with the reason in words for logs. */
export interface OnnxPlacement {
  /** Execution provider to load the model on. */
  readonly device: OnnxDevice;
  /** Weight format (selects the `onnx/model*.onnx` file). */
  readonly dtype: OnnxDtype;
  /** Why this placement was chosen, e.g. `NVIDIA H100 (80 GiB) with the CUDA provider`. */
  readonly reason: string;
}

/** Inputs that steer {@link chooseOnnxPlacement} besides the hardware. */
export interface OnnxPlacementOverrides {
  /** Force this device (the user asked for it). */
  readonly device?: OnnxDevice;
  /** Force this dtype (the user asked for it). */
  readonly dtype?: OnnxDtype;
  /** Dtypes the model folder has files for (see `listModelDtypes`); unknown when omitted. */
  readonly availableDtypes?: readonly OnnxDtype[];
}

const GIB = 1024 ** 3;

/** Keeps `preferred` when the folder has it (or nothing is known), else fp32, else what the folder has. */
function pickDtype(preferred: OnnxDtype, available: readonly OnnxDtype[] | undefined): OnnxDtype {
  if (available === undefined || available.length === 0 || available.includes(preferred)) return preferred;
  if (available.includes('fp32')) return 'fp32';
  return available[0] ?? preferred;
}

/**
 * Picks a device and dtype for this hardware: CUDA + fp16 with an NVIDIA GPU and the CUDA provider,
 * CoreML on Apple Silicon, otherwise CPU with q8 when the model folder has a quantized file, else fp32.
 * Pure: feed it a fake {@link HardwareInfo} to test a placement.
 */
export function chooseOnnxPlacement(hw: HardwareInfo, overrides: OnnxPlacementOverrides = {}): OnnxPlacement {
  const available = overrides.availableDtypes;
  const has = (device: OnnxDevice): boolean => hw.onnxExecutionProviders.includes(device);
  if (overrides.device !== undefined) {
    const dtype = overrides.dtype ?? pickDtype(overrides.device === 'cpu' ? 'fp32' : 'fp16', available);
    return { device: overrides.device, dtype, reason: `device ${overrides.device} requested` };
  }
  const gpu = hw.nvidiaGpus[0];
  if (gpu !== undefined && has('cuda')) {
    return {
      device: 'cuda',
      dtype: overrides.dtype ?? pickDtype('fp16', available),
      reason: `${gpu.name} (${(gpu.vramTotalBytes / GIB).toFixed(0)} GiB) with the CUDA execution provider`,
    };
  }
  if (hw.isAppleSilicon && has('coreml')) {
    return {
      device: 'coreml',
      dtype: overrides.dtype ?? pickDtype('fp32', available),
      reason: `Apple Silicon (${hw.cpuModel}) with the CoreML execution provider`,
    };
  }
  const cpuReason =
    gpu !== undefined
      ? `${gpu.name} found but onnxruntime-node has no CUDA binaries (reinstall it without ONNXRUNTIME_NODE_INSTALL=skip); using CPU`
      : `no GPU execution provider; using CPU (${hw.cores} cores)`;
  if (overrides.dtype !== undefined) return { device: 'cpu', dtype: overrides.dtype, reason: cpuReason };
  if (available?.includes('q8') === true) {
    return {
      device: 'cpu',
      dtype: 'q8',
      reason: `${cpuReason}; model_quantized.onnx present, q8 is smaller and faster on CPU`,
    };
  }
  return { device: 'cpu', dtype: pickDtype('fp32', available), reason: cpuReason };
}
