import type { Command } from 'commander';
import { isErrorCode, SignetError } from '../../src/index.ts';
import { type CliIo, formatTable } from '../cli-io.ts';

/** What the runs commands need. */
export interface RunsCommandDeps {
  readonly io: CliIo;
  /** HTTP client (tests pass one; default the global fetch). */
  readonly fetch?: typeof fetch;
  /** Environment for SIGNET_URL and SIGNET_API_KEY (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface RunSummary {
  readonly id: string;
  readonly status: string;
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  readonly stepsDone: number;
  readonly stepsTotal: number;
  readonly attempts: number;
  readonly error?: { readonly code: string; readonly message: string };
}

const URL_HELP = 'the signet server (default SIGNET_URL, else http://127.0.0.1:3000)';

/**
 * `signet runs list|show|start|resume|cancel`: the runs API of a running server, over HTTP (runs are
 * executed by the server, so the CLI asks it rather than the store). `--api-key` or SIGNET_API_KEY when
 * the server has auth on.
 */
export function registerRunsCommands(program: Command, deps: RunsCommandDeps): void {
  const env = deps.env ?? process.env;
  const group = program
    .command('runs')
    .description('list, show, start, resume or cancel durable runs on a signet server')
    .option('--url <url>', URL_HELP)
    .option('--api-key <key>', 'API key (default SIGNET_API_KEY)');

  const call = async (command: Command, method: string, path: string, body?: unknown): Promise<unknown> => {
    const options = command.optsWithGlobals<{ url?: string; apiKey?: string }>();
    const base = (options.url ?? env.SIGNET_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
    const key = options.apiKey ?? env.SIGNET_API_KEY;
    let response: Response;
    try {
      response = await (deps.fetch ?? fetch)(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new SignetError(
        'SIGNET_NOT_READY',
        `cannot reach a signet server at ${base} (${(error as Error).message}); start one with \`npm start\`, or pass --url`,
        { cause: error },
      );
    }
    const text = await response.text();
    const json = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const code = error?.code !== undefined && isErrorCode(error.code) ? error.code : 'SIGNET_INTERNAL';
      throw new SignetError(code, error?.message ?? `${method} ${path} answered ${response.status}`);
    }
    return json;
  };
  const print = (options: { json?: boolean }, value: unknown, text: () => string) =>
    deps.io.out(options.json === true ? JSON.stringify(value, null, 2) : text());

  group
    .command('list')
    .description('runs, oldest first')
    .option(
      '--status <status>',
      'only runs in this status (queued, running, interrupted, succeeded, failed, cancelled)',
    )
    .option('--limit <n>', 'most runs to show', '50')
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; limit: string; json?: boolean }, command: Command) => {
      const query = new URLSearchParams({ limit: options.limit });
      if (options.status !== undefined) query.set('status', options.status);
      const listed = (await call(command, 'GET', `/api/v1/dspy/runs?${query}`)) as { runs: RunSummary[] };
      print(options, listed, () =>
        listed.runs.length === 0
          ? 'no runs'
          : formatTable(
              ['ID', 'STATUS', 'PIPELINE', 'STEPS', 'ATTEMPTS', 'CREATED'],
              listed.runs.map((r) => [
                r.id,
                r.error === undefined ? r.status : `${r.status} (${r.error.code})`,
                `${r.pipeline.name}@${r.pipeline.version}`,
                `${r.stepsDone}/${r.stepsTotal}`,
                String(r.attempts),
                r.createdAt,
              ]),
            ),
      );
    });

  group
    .command('show <id>')
    .description('a run: status, recorded steps, outputs and usage')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const run = (await call(
        command,
        'GET',
        `/api/v1/dspy/runs/${encodeURIComponent(id)}`,
      )) as RunSummary & {
        steps: { step: string; signature: string; recordedAt: string }[];
        outputs?: unknown;
        usage: { totalTokens: number };
      };
      print(options, run, () =>
        [
          `run       ${run.id}`,
          `status    ${run.status}${run.error === undefined ? '' : ` ${run.error.code}: ${run.error.message}`}`,
          `pipeline  ${run.pipeline.name}@${run.pipeline.version}`,
          `steps     ${run.stepsDone}/${run.stepsTotal} recorded, ${run.attempts} attempt(s)`,
          ...run.steps.map((s) => `  ${s.recordedAt}  ${s.step} (${s.signature})`),
          `tokens    ${run.usage.totalTokens}`,
          ...(run.outputs === undefined ? [] : [`outputs   ${JSON.stringify(run.outputs)}`]),
        ].join('\n'),
      );
    });

  group
    .command('start <pipeline>')
    .description('start a run of a pipeline (GET /api/v1/dspy/pipelines lists them)')
    .requiredOption('--inputs <json>', "the pipeline's inputs as JSON")
    .option('--version <version>', 'exact pipeline version (default the newest)')
    .option('--idempotency-key <key>', 'repeating the command with the same key returns the same run')
    .option('--json', 'print JSON')
    .action(
      async (
        pipeline: string,
        options: { inputs: string; version?: string; idempotencyKey?: string; json?: boolean },
        command: Command,
      ) => {
        let inputs: unknown;
        try {
          inputs = JSON.parse(options.inputs);
        } catch (error) {
          throw new SignetError('SIGNET_INPUT_INVALID', `--inputs is not JSON: ${(error as Error).message}`);
        }
        const run = (await call(command, 'POST', '/api/v1/dspy/runs', {
          pipeline,
          inputs,
          ...(options.version === undefined ? {} : { version: options.version }),
          ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
        })) as RunSummary;
        print(options, run, () => `${run.id} ${run.status}`);
      },
    );

  for (const [name, description, method, suffix] of [
    ['resume', 'resume a failed, cancelled or interrupted run from its checkpoints', 'POST', '/resume'],
    ['cancel', 'cancel a queued or running run', 'DELETE', ''],
  ] as const) {
    group
      .command(`${name} <id>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (id: string, options: { json?: boolean }, command: Command) => {
        const run = (await call(
          command,
          method,
          `/api/v1/dspy/runs/${encodeURIComponent(id)}${suffix}`,
        )) as RunSummary;
        print(options, run, () => `${run.id} ${run.status}`);
      });
  }
}
