import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasCudaProviderLibrary,
  listOnnxExecutionProviders,
  onnxRuntimeBinDir,
  parseNvidiaSmiCsv,
  probeHardware,
  queryNvidiaGpus,
} from '../../../src/providers/hardware/index.ts';

let scripts: string;

async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      await access(join(dir, command));
      return true;
    } catch {}
  }
  return false;
}

async function script(name: string, body: string): Promise<string> {
  const file = join(scripts, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  scripts = await mkdtemp(join(tmpdir(), 'signet-hw-'));
});
afterAll(async () => {
  await rm(scripts, { recursive: true, force: true });
});

describe('probeHardware', () => {
  it('reports this machine: platform, cores, memory, and GPUs only when nvidia-smi exists', async () => {
    const hw = await probeHardware();
    expect(hw.os).toBe(process.platform);
    expect(hw.arch).toBe(process.arch);
    expect(hw.cores).toBe(availableParallelism());
    expect(hw.totalMemoryBytes).toBe(totalmem());
    expect(hw.freeMemoryBytes).toBeGreaterThan(0);
    expect(hw.freeMemoryBytes).toBeLessThanOrEqual(hw.totalMemoryBytes);
    expect(hw.cpuModel.length).toBeGreaterThan(0);
    expect(hw.isAppleSilicon).toBe(process.platform === 'darwin' && process.arch === 'arm64');
    if (await onPath('nvidia-smi')) expect(hw.nvidiaGpus.length).toBeGreaterThan(0);
    else expect(hw.nvidiaGpus).toEqual([]);
    expect(hw.onnxExecutionProviders).toContain('cpu');
    const cuda = await hasCudaProviderLibrary(onnxRuntimeBinDir(process.platform, process.arch));
    expect(hw.onnxExecutionProviders.includes('cuda')).toBe(cuda);
  });

  it('reads GPUs from the nvidia-smi it is given', async () => {
    const fake = await script('smi-ok', "echo 'NVIDIA H100 80GB HBM3, 81559, 80000'");
    const hw = await probeHardware({ nvidiaSmiCommand: fake });
    expect(hw.nvidiaGpus).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', vramTotalBytes: 81559 * 2 ** 20, vramFreeBytes: 80000 * 2 ** 20 },
    ]);
  });
});

describe('queryNvidiaGpus', () => {
  it('returns no GPUs and no warning when the command does not exist', async () => {
    expect(await queryNvidiaGpus({ command: join(scripts, 'missing-nvidia-smi') })).toEqual({ gpus: [] });
  });

  it('gives up after the timeout with a warning', async () => {
    const slow = await script('smi-slow', 'exec sleep 5');
    const started = performance.now();
    const result = await queryNvidiaGpus({ command: slow, timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.gpus).toEqual([]);
    expect(result.warning).toMatch(/timed out after 200 ms/);
  });

  it('warns when nvidia-smi fails (driver not loaded)', async () => {
    const broken = await script('smi-broken', 'echo "NVIDIA-SMI has failed" >&2; exit 9');
    const result = await queryNvidiaGpus({ command: broken });
    expect(result).toMatchObject({ gpus: [], warning: expect.stringMatching(/nvidia-smi failed/) });
  });

  it('rejects with SIGNET_ABORTED when the signal aborts', async () => {
    const slow = await script('smi-slow-abort', 'exec sleep 5');
    const controller = new AbortController();
    const pending = queryNvidiaGpus({ command: slow, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
  });
});

describe('parseNvidiaSmiCsv', () => {
  it('parses one GPU per line in MiB and skips malformed lines', () => {
    const text = 'NVIDIA GeForce RTX 4090, 24564, 23000\nNVIDIA A100-SXM4-80GB, 81920, 1024\ngarbage\n';
    expect(parseNvidiaSmiCsv(text)).toEqual([
      { name: 'NVIDIA GeForce RTX 4090', vramTotalBytes: 24564 * 2 ** 20, vramFreeBytes: 23000 * 2 ** 20 },
      { name: 'NVIDIA A100-SXM4-80GB', vramTotalBytes: 81920 * 2 ** 20, vramFreeBytes: 1024 * 2 ** 20 },
    ]);
  });
});

describe('listOnnxExecutionProviders', () => {
  it.each([
    ['linux', 'x64', false, ['cpu', 'webgpu']],
    ['linux', 'x64', true, ['cpu', 'webgpu', 'cuda']],
    ['linux', 'arm64', true, ['cpu']],
    ['darwin', 'arm64', false, ['cpu', 'coreml', 'webgpu']],
    ['win32', 'x64', false, ['cpu', 'dml', 'webgpu']],
  ] as const)('%s %s (cuda binaries: %s) -> %j', (os, arch, hasCudaBinaries, expected) => {
    expect(listOnnxExecutionProviders({ os, arch, hasCudaBinaries })).toEqual(expected);
  });

  it('finds the CUDA provider library only where it exists', async () => {
    expect(await hasCudaProviderLibrary(scripts)).toBe(false);
    await writeFile(join(scripts, 'libonnxruntime_providers_cuda.so'), '');
    expect(await hasCudaProviderLibrary(scripts)).toBe(true);
    expect(await hasCudaProviderLibrary(undefined)).toBe(false);
  });
});
