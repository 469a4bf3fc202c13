import { availableParallelism, cpus, freemem, totalmem } from 'node:os';
import type { HardwareInfo } from './hardware-info.ts';
import {
  hasCudaProviderLibrary,
  listOnnxExecutionProviders,
  onnxRuntimeBinDir,
} from './list-onnx-execution-providers.ts';
import { queryNvidiaGpus } from './query-nvidia-gpus.ts';

/** Options of {@link probeHardware}; defaults probe the real machine. */
export interface ProbeHardwareOptions {
  /** `nvidia-smi` executable. Default `nvidia-smi` on PATH. */
  readonly nvidiaSmiCommand?: string;
  /** Timeout for `nvidia-smi` in milliseconds. Default 3000. */
  readonly nvidiaSmiTimeoutMs?: number;
  /** Folder of onnxruntime-node's native binding; default resolved from the installed package. */
  readonly onnxRuntimeBinDir?: string;
  /** Aborts the probe (only the `nvidia-smi` call waits). */
  readonly signal?: AbortSignal;
}

/**
 * Describes this machine: OS, CPU, memory, NVIDIA GPUs (via `nvidia-smi`, if present) and the ONNX
 * execution providers the installed onnxruntime-node can use. Never throws for missing tools.
 */
export async function probeHardware(options: ProbeHardwareOptions = {}): Promise<HardwareInfo> {
  const os = process.platform;
  const arch = process.arch;
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown';
  const binDir = options.onnxRuntimeBinDir ?? onnxRuntimeBinDir(os, arch);
  const [nvidia, hasCudaBinaries] = await Promise.all([
    queryNvidiaGpus({
      ...(options.nvidiaSmiCommand === undefined ? {} : { command: options.nvidiaSmiCommand }),
      ...(options.nvidiaSmiTimeoutMs === undefined ? {} : { timeoutMs: options.nvidiaSmiTimeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }),
    hasCudaProviderLibrary(binDir),
  ]);
  return {
    os,
    arch,
    cpuModel,
    cores: availableParallelism(),
    totalMemoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    isAppleSilicon: os === 'darwin' && (arch === 'arm64' || cpuModel.startsWith('Apple')),
    nvidiaGpus: nvidia.gpus,
    onnxExecutionProviders: listOnnxExecutionProviders({ os, arch, hasCudaBinaries }),
    warnings: nvidia.warning === undefined ? [] : [nvidia.warning],
  };
}
