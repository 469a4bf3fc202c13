import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDoctorCommand } from '../../cli/commands/doctor.ts';
import { main } from '../../cli/main.ts';
import type { HardwareInfo } from '../../src/index.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('signet CLI', () => {
  it('lists the catalog', async () => {
    const { io, out } = capture();
    expect(await main(['node', 'signet', 'signatures', 'list'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/answer-question\s+1\.0\.0/);
  });

  it('shows a signature by range with its JSON Schemas', async () => {
    const { io, out } = capture();
    expect(await main(['node', 'signet', 'signatures', 'show', 'summarize@^1'], io)).toBe(0);
    const shown = JSON.parse(out.join('\n')) as { name: string; jsonSchema: { input: { type: string } } };
    expect(shown.name).toBe('summarize');
    expect(shown.jsonSchema.input.type).toBe('object');
  });

  it('exits 1 with the error code and a suggestion for an unknown signature', async () => {
    const { io, err } = capture();
    expect(await main(['node', 'signet', 'signatures', 'show', 'sumarize'], io)).toBe(1);
    expect(err.join('\n')).toContain('SIGNET_SIGNATURE_NOT_FOUND');
    expect(err.join('\n')).toContain('Did you mean "summarize"');
  });

  it('exits 2 on a usage error', async () => {
    const { io } = capture();
    expect(await main(['node', 'signet', 'no-such-command'], io)).toBe(2);
  });

  it('doctor prints the probe and the ONNX choice it implies', async () => {
    const { io, out } = capture();
    const gpuMachine: HardwareInfo = {
      os: 'linux',
      arch: 'x64',
      cpuModel: 'Test CPU',
      cores: 16,
      totalMemoryBytes: 64 * 1024 ** 3,
      freeMemoryBytes: 32 * 1024 ** 3,
      isAppleSilicon: false,
      nvidiaGpus: [{ name: 'NVIDIA H100', vramTotalBytes: 80 * 1024 ** 3, vramFreeBytes: 79 * 1024 ** 3 }],
      onnxExecutionProviders: ['cpu', 'cuda'],
      warnings: [],
    };
    const program = new Command('signet').exitOverride();
    registerDoctorCommand(program, { io, probe: async () => gpuMachine, env: { OPENAI_API_KEY: 'sk-x' } });
    await program.parseAsync(['node', 'signet', 'doctor']);
    const text = out.join('\n');
    expect(text).toContain('NVIDIA H100 (80.0 GiB)');
    expect(text).toMatch(/local ONNX\s+device cuda, dtype fp16/);
    expect(text).toContain('OPENAI_API_KEY');
    expect(text).not.toContain('sk-x');
  });

  it('doctor on this machine reports a CPU placement', async () => {
    const { io, out } = capture();
    expect(await main(['node', 'signet', 'doctor', '--json'], io)).toBe(0);
    const report = JSON.parse(out.join('\n')) as {
      onnx: { device: string; dtype: string };
      hardware: { cores: number };
    };
    expect(report.hardware.cores).toBeGreaterThan(0);
    expect(['cpu', 'cuda', 'coreml']).toContain(report.onnx.device);
  });
});
