import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OnnxDevice } from './onnx-device.ts';

/** Inputs of {@link listOnnxExecutionProviders}: the platform and whether CUDA binaries are installed. */
export interface ExecutionProviderQuery {
  /** Operating system as Node names it. */
  readonly os: string;
  /** CPU architecture as Node names it. */
  readonly arch: string;
  /** Whether `libonnxruntime_providers_cuda.so` sits next to the onnxruntime-node binding. */
  readonly hasCudaBinaries: boolean;
}

/**
 * Execution providers onnxruntime-node 1.30's prebuilt binaries offer on a platform (its support table):
 * CPU everywhere; WebGPU on Linux x64, macOS and Windows; CUDA on Linux x64 only once its binaries were
 * downloaded by the package's install script; CoreML on macOS; DirectML on Windows.
 */
export function listOnnxExecutionProviders(query: ExecutionProviderQuery): OnnxDevice[] {
  const { os, arch, hasCudaBinaries } = query;
  const providers: OnnxDevice[] = ['cpu'];
  if (os === 'linux' && arch === 'x64') {
    providers.push('webgpu');
    if (hasCudaBinaries) providers.push('cuda');
  } else if (os === 'darwin') {
    providers.push('coreml', 'webgpu');
  } else if (os === 'win32') {
    providers.push('dml', 'webgpu');
  }
  return providers;
}

/** Folder holding onnxruntime-node's native binding for a platform, or undefined if the package is missing. */
export function onnxRuntimeBinDir(os: string, arch: string): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    return join(dirname(packageJson), 'bin', 'napi-v6', os, arch);
  } catch {
    return undefined;
  }
}

/** Whether the CUDA provider library is present in `binDir` (it is only there after the CUDA download). */
export async function hasCudaProviderLibrary(binDir: string | undefined): Promise<boolean> {
  if (binDir === undefined) return false;
  try {
    await access(join(binDir, 'libonnxruntime_providers_cuda.so'));
    return true;
  } catch {
    return false;
  }
}
