import type { Command } from 'commander';
import type { SignatureRegistry } from '../../src/index.ts';
import { type CliIo, formatTable } from '../cli-io.ts';

/** What the signature commands need. */
export interface SignatureCommandDeps {
  /** Builds the registry to inspect (the shipped catalog by default). */
  readonly registry: () => SignatureRegistry;
  readonly io: CliIo;
}

/** `signet signatures list|show`: inspect the signature catalog. */
export function registerSignatureCommands(program: Command, deps: SignatureCommandDeps): void {
  const group = program.command('signatures').description('inspect the signature catalog');

  group
    .command('list')
    .description('list every signature with its latest version')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const list = deps.registry().list();
      if (options.json === true) return deps.io.out(JSON.stringify(list, null, 2));
      deps.io.out(
        formatTable(
          ['name', 'version', 'inputs -> outputs', 'description'],
          list.map((s) => [
            s.name,
            s.version,
            `${s.inputs.join(', ')} -> ${s.outputs.join(', ')}`,
            s.description ?? '',
          ]),
        ),
      );
    });

  group
    .command('show <ref>')
    .description('show one signature (name, name@version or name@range) with its JSON Schemas')
    .action((ref: string) => {
      const signature = deps.registry().get(ref);
      deps.io.out(
        JSON.stringify(
          { ...signature.toJSON(), hash: signature.hash(), jsonSchema: signature.jsonSchema() },
          null,
          2,
        ),
      );
    });
}
