import { describe, expect, it } from 'vitest';
import {
  chooseOnnxPlacement,
  type HardwareInfo,
  hasCudaProviderLibrary,
  onnxRuntimeBinDir,
  probeHardware,
} from '../../../src/providers/hardware/index.ts';

const GIB = 1024 ** 3;
const base: HardwareInfo = {
  os: 'linux',
  arch: 'x64',
  cpuModel: 'AMD EPYC 9654',
  cores: 16,
  totalMemoryBytes: 128 * GIB,
  freeMemoryBytes: 100 * GIB,
  isAppleSilicon: false,
  nvidiaGpus: [],
  onnxExecutionProviders: ['cpu', 'webgpu'],
  warnings: [],
};
const h100 = { name: 'NVIDIA H100 80GB HBM3', vramTotalBytes: 80 * GIB, vramFreeBytes: 79 * GIB };

describe('chooseOnnxPlacement', () => {
  it('picks cpu/fp32 on this machine unless it has an NVIDIA GPU and CUDA binaries', async () => {
    const hw = await probeHardware();
    const placement = chooseOnnxPlacement(hw);
    const cudaReady =
      hw.nvidiaGpus.length > 0 &&
      (await hasCudaProviderLibrary(onnxRuntimeBinDir(process.platform, process.arch)));
    if (cudaReady) expect(placement).toMatchObject({ device: 'cuda', dtype: 'fp16' });
    else if (hw.isAppleSilicon) expect(placement.device).toBe('coreml');
    else expect(placement).toMatchObject({ device: 'cpu', dtype: 'fp32' });
    expect(placement.reason.length).toBeGreaterThan(10);
  });

  it('picks cuda/fp16 for an NVIDIA GPU with the CUDA provider, naming the GPU', () => {
    const placement = chooseOnnxPlacement({
      ...base,
      nvidiaGpus: [h100],
      onnxExecutionProviders: ['cpu', 'webgpu', 'cuda'],
    });
    expect(placement).toMatchObject({ device: 'cuda', dtype: 'fp16' });
    expect(placement.reason).toContain('NVIDIA H100');
  });

  it('stays on cpu when the GPU is there but the CUDA binaries are not, and says how to fix it', () => {
    const placement = chooseOnnxPlacement({ ...base, nvidiaGpus: [h100] });
    expect(placement).toMatchObject({ device: 'cpu', dtype: 'fp32' });
    expect(placement.reason).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/);
  });

  it('picks coreml on Apple Silicon', () => {
    const mac: HardwareInfo = {
      ...base,
      os: 'darwin',
      arch: 'arm64',
      cpuModel: 'Apple M3 Max',
      isAppleSilicon: true,
      onnxExecutionProviders: ['cpu', 'coreml', 'webgpu'],
    };
    expect(chooseOnnxPlacement(mac)).toMatchObject({ device: 'coreml', dtype: 'fp32' });
  });

  it('uses q8 on cpu when the model folder ships a quantized file', () => {
    expect(chooseOnnxPlacement(base, { availableDtypes: ['fp32', 'q8'] })).toMatchObject({
      device: 'cpu',
      dtype: 'q8',
    });
    expect(chooseOnnxPlacement(base, { availableDtypes: ['fp32'] })).toMatchObject({
      device: 'cpu',
      dtype: 'fp32',
    });
  });

  it('falls back to a dtype the folder has when fp16 is missing on cuda', () => {
    const gpu = { ...base, nvidiaGpus: [h100], onnxExecutionProviders: ['cpu', 'cuda'] as const };
    expect(chooseOnnxPlacement(gpu, { availableDtypes: ['fp32', 'q8'] })).toMatchObject({
      device: 'cuda',
      dtype: 'fp32',
    });
    expect(chooseOnnxPlacement(gpu, { availableDtypes: ['q4'] })).toMatchObject({
      device: 'cuda',
      dtype: 'q4',
    });
  });

  it('honours an explicit device and dtype', () => {
    expect(chooseOnnxPlacement(base, { device: 'webgpu', dtype: 'q4f16' })).toEqual({
      device: 'webgpu',
      dtype: 'q4f16',
      reason: 'device webgpu requested',
    });
    expect(chooseOnnxPlacement(base, { dtype: 'q8' })).toMatchObject({ device: 'cpu', dtype: 'q8' });
  });
});
