import type { FieldValues, Store, StoredRecord, Usage } from '../../src/index.ts';
import { runStream } from '../../src/pipeline/index.ts';
import type { StatusRecord } from './run-record.ts';

/** A step checkpoint as it is read back from a run's stream. */
export interface RecordedStep {
  readonly seq: number;
  readonly step: string;
  /** `name@version#<state hash>` of the step's program. */
  readonly program: string;
  readonly outputs: FieldValues;
  readonly usage: Usage;
  readonly at: number;
}

/** A record of a run's stream that followers see: a status change or a recorded step. */
export type RunStreamEntry =
  | { readonly kind: 'status'; readonly seq: number; readonly record: StatusRecord }
  | { readonly kind: 'step'; readonly seq: number; readonly record: RecordedStep };

/** Reads a run's stream after `after`, as status changes and steps (pipeline start and end records skipped). */
export async function readRunStream(store: Store, runId: string, after = 0): Promise<RunStreamEntry[]> {
  const entries: RunStreamEntry[] = [];
  for (let cursor = after; ; ) {
    const page: StoredRecord[] = await store.read(runStream(runId), { after: cursor, limit: 1_000 });
    for (const row of page) {
      const entry = toEntry(row);
      if (entry !== undefined) entries.push(entry);
    }
    const last = page.at(-1);
    if (last === undefined || page.length < 1_000) return entries;
    cursor = last.seq;
  }
}

function toEntry(row: StoredRecord): RunStreamEntry | undefined {
  const record = JSON.parse(row.record) as { type?: string } & Record<string, unknown>;
  if (record.type === 'status')
    return { kind: 'status', seq: row.seq, record: record as unknown as StatusRecord };
  if (record.type !== 'step') return undefined;
  return {
    kind: 'step',
    seq: row.seq,
    record: {
      seq: row.seq,
      step: record.step as string,
      program: record.program as string,
      outputs: record.outputs as FieldValues,
      usage: record.usage as Usage,
      at: record.at as number,
    },
  };
}
