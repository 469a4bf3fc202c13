import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type PreviousRunInfo, REPORT_FORMAT } from './report.ts';

/** Only what the comparison needs, so older reports with extra fields still compare. */
const previousSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  startedAt: z.string(),
  options: z.object({ quick: z.boolean() }),
  machine: z.object({ gitCommit: z.string().optional() }),
  suites: z.array(z.object({ metrics: z.array(z.object({ id: z.string(), value: z.number() })) })),
});

/** The previous run's metric values, or why there are none. */
export type PreviousRun =
  | { readonly found: true; readonly info: PreviousRunInfo; readonly values: ReadonlyMap<string, number> }
  | { readonly found: false; readonly note: string };

/** Reads a previous `report.json`. A missing or unreadable file means "nothing to compare", never a crash. */
export async function readPreviousReport(path: string): Promise<PreviousRun> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { found: false, note: `no previous run (${path} does not exist)` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { found: false, note: `previous report ${path} is not valid JSON; not compared` };
  }
  const parsed = previousSchema.safeParse(json);
  if (!parsed.success) {
    return { found: false, note: `previous report ${path} is not a ${REPORT_FORMAT} report; not compared` };
  }
  const { startedAt, options, machine, suites } = parsed.data;
  return {
    found: true,
    info: {
      startedAt,
      quick: options.quick,
      ...(machine.gitCommit === undefined ? {} : { gitCommit: machine.gitCommit }),
    },
    values: new Map(suites.flatMap((suite) => suite.metrics.map((m) => [m.id, m.value] as const))),
  };
}
