import type { Command } from 'commander';
import {
  chooseOnnxPlacement,
  type HardwareInfo,
  type ProbeHardwareOptions,
  probeHardware,
} from '../../src/providers/hardware/index.ts';
import type { CliIo } from '../cli-io.ts';

/** What `signet doctor` needs. */
export interface DoctorDeps {
  readonly io: CliIo;
  /** The probe; injectable so tests can feed a fake machine. */
  readonly probe?: (options?: ProbeHardwareOptions) => Promise<HardwareInfo>;
  readonly env?: NodeJS.ProcessEnv;
}

const GiB = 1024 ** 3;

/** `signet doctor`: prints the hardware probe and the choices signet makes from it. */
export function registerDoctorCommand(program: Command, deps: DoctorDeps): void {
  program
    .command('doctor')
    .description('show the hardware signet sees and what it will use')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const hw = await (deps.probe ?? probeHardware)();
      const placement = chooseOnnxPlacement(hw);
      const env = deps.env ?? process.env;
      const cloud = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'HF_TOKEN'].filter(
        (k) => (env[k] ?? '') !== '',
      );
      if (options.json === true) {
        deps.io.out(JSON.stringify({ hardware: hw, onnx: placement, cloudKeys: cloud }, null, 2));
        return;
      }
      const gpus = hw.nvidiaGpus
        .map((g) => `${g.name} (${(g.vramTotalBytes / GiB).toFixed(1)} GiB)`)
        .join(', ');
      const lines = [
        `os           ${hw.os} ${hw.arch}${hw.isAppleSilicon ? ' (Apple Silicon)' : ''}`,
        `cpu          ${hw.cpuModel}, ${hw.cores} cores`,
        `memory       ${(hw.totalMemoryBytes / GiB).toFixed(1)} GiB total, ${(hw.freeMemoryBytes / GiB).toFixed(1)} GiB free`,
        `nvidia gpus  ${gpus === '' ? 'none' : gpus}`,
        `onnx eps     ${hw.onnxExecutionProviders.join(', ')}`,
        '',
        `local ONNX   device ${placement.device}, dtype ${placement.dtype} (${placement.reason})`,
        `ollama       ${hw.isAppleSilicon ? 'recommended: runs on Metal here' : 'optional: used when reachable'}`,
        `cloud keys   ${cloud.length === 0 ? 'none set (cloud fallback off)' : cloud.join(', ')}`,
        ...hw.warnings.map((w) => `warning      ${w}`),
      ];
      for (const line of lines) deps.io.out(line);
    });
}
