import type { OnnxDevice } from './onnx-device.ts';

/** One NVIDIA GPU as reported by `nvidia-smi`. */
export interface NvidiaGpu {
  /** Marketing name, e.g. `NVIDIA H100 80GB HBM3`. */
  readonly name: string;
  /** Total video memory in bytes. */
  readonly vramTotalBytes: number;
  /** Free video memory in bytes at probe time. */
  readonly vramFreeBytes: number;
}

/** What this machine offers for running local models. A plain JSON value, so tests can build fakes. */
export interface HardwareInfo {
  /** Operating system as Node names it (`linux`, `darwin`, `win32`, ...). */
  readonly os: string;
  /** CPU architecture as Node names it (`x64`, `arm64`, ...). */
  readonly arch: string;
  /** CPU model string of the first core, e.g. `Apple M2` or `Intel(R) Xeon(R) ...`. */
  readonly cpuModel: string;
  /** Logical cores available to this process. */
  readonly cores: number;
  /** Total system memory in bytes. */
  readonly totalMemoryBytes: number;
  /** Free system memory in bytes at probe time. */
  readonly freeMemoryBytes: number;
  /** True on Apple Silicon (arm64 macOS), where CoreML and unified memory are available. */
  readonly isAppleSilicon: boolean;
  /** NVIDIA GPUs found by `nvidia-smi`; empty when it is absent or fails. */
  readonly nvidiaGpus: readonly NvidiaGpu[];
  /** ONNX Runtime execution providers usable here with the installed onnxruntime-node binaries. */
  readonly onnxExecutionProviders: readonly OnnxDevice[];
  /** Problems met while probing (e.g. `nvidia-smi` timed out), as text for logs. */
  readonly warnings: readonly string[];
}
