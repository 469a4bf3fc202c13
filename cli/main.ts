import { Command, CommanderError } from 'commander';
import { createCatalogRegistry } from '../signatures/index.ts';
import { SignetError } from '../src/index.ts';
import { listOllamaModels } from '../src/providers/ollama/index.ts';
import { type CliIo, processIo } from './cli-io.ts';
import { registerCacheCommands } from './commands/cache.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { defaultModelsCommandDeps, registerModelsCommands } from './commands/models.ts';
import { registerRunsCommands } from './commands/runs.ts';
import { registerSignatureCommands } from './commands/signatures.ts';

/** Builds the `signet` command tree. Each command group registers itself from `cli/commands/`. */
export function buildCli(io: CliIo = processIo): Command {
  const program = new Command('signet')
    .description('typed prompt programs on the hardware at hand')
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerSignatureCommands(program, { registry: createCatalogRegistry, io });
  registerDoctorCommand(program, { io });
  registerKeysCommands(program, { io });
  registerCacheCommands(program, { io });
  registerRunsCommands(program, { io });
  registerModelsCommands(
    program,
    defaultModelsCommandDeps(io, {
      listOllama: (signal, host) => listOllamaModels({ signal, details: true, ...(host ? { host } : {}) }),
    }),
  );
  return program;
}

/** Runs the CLI and returns the exit code: 0 on success, 1 on a signet error, 2 on usage errors. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildCli(io).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (SignetError.is(error)) {
      io.err(`error ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
