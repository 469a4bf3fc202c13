import { SignetError } from '../errors/signet-error.ts';
import type { Usage } from '../program/program-types.ts';
import type { StepCheckpoints } from '../program/step-checkpoints.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import type { Store } from '../store/store.ts';
import { hashCanonical } from '../util/canonical-json.ts';

/** What a run's stream holds, one record each, appended in one transaction (whole or not at all). */
export type JournalRecord =
  | { readonly type: 'start'; readonly pipeline: string; readonly inputsHash: string; readonly at: number }
  | {
      readonly type: 'step';
      readonly step: string;
      /** `name@version` of the step's signature and the hash of its program's state. */
      readonly program: string;
      readonly inputsHash: string;
      /** The inputs the step ran on (what its program was asked). */
      readonly inputs: FieldValues;
      readonly outputs: FieldValues;
      readonly usage: Usage;
      readonly at: number;
    }
  | { readonly type: 'end'; readonly outputs: FieldValues; readonly at: number }
  /** A step inside a pipeline step (a model call, a tool call), recorded as it completes. */
  | {
      readonly type: 'call';
      readonly step: string;
      readonly key: string;
      readonly value: unknown;
      readonly at: number;
    }
  /** A call that must not run twice, recorded as it starts. */
  | { readonly type: 'call-start'; readonly step: string; readonly key: string; readonly at: number };

type StepRecord = Extract<JournalRecord, { type: 'step' }>;

/** A run's checkpoints: read once when the run starts, appended as steps complete. */
export interface RunJournal {
  /** The recorded step of that name, when an earlier attempt completed it. */
  recorded(step: string): StepRecord | undefined;
  /** Records a completed step; resolves once it is stored (a failed write fails the step). */
  record(step: Omit<StepRecord, 'type' | 'at'>): Promise<void>;
  /** The outputs of a run that already ended. */
  readonly ended: FieldValues | undefined;
  /** Records the end of the run. */
  end(outputs: FieldValues): Promise<void>;
  /** The checkpoints of the calls inside one step (what its program records and reads back). */
  checkpoints(step: string, allowUncertainSteps: boolean): StepCheckpoints;
}

const JOURNAL_TYPES = new Set(['start', 'step', 'end', 'call', 'call-start']);

/** The stream of a run's records in the store. */
export const runStream = (runId: string): string => `runs/${runId}`;

/**
 * Opens a run's journal: reads what earlier attempts recorded, or starts the run. A run id used by
 * another pipeline, or with other inputs, fails with SIGNET_RUN_CONFLICT rather than mixing two runs.
 */
export async function openRunJournal(
  store: Store,
  runId: string,
  pipeline: string,
  inputs: FieldValues,
): Promise<RunJournal> {
  const stream = runStream(runId);
  const records: JournalRecord[] = [];
  for (let after = 0; ; ) {
    const page = await store.read(stream, { after, limit: 1_000 });
    // Other records may share the stream (a server's status changes): the journal reads only its own.
    for (const row of page) {
      const record = JSON.parse(row.record) as { type?: unknown };
      if (JOURNAL_TYPES.has(record.type as string)) {
        records.push(record as JournalRecord);
      }
    }
    const last = page.at(-1);
    if (last === undefined) break;
    after = last.seq;
  }
  const inputsHash = hashCanonical(inputs);
  const start = records[0];
  if (start === undefined) {
    await store.append(stream, JSON.stringify({ type: 'start', pipeline, inputsHash, at: Date.now() }));
  } else if (start.type !== 'start' || start.pipeline !== pipeline || start.inputsHash !== inputsHash) {
    const what =
      start.type === 'start' && start.pipeline !== pipeline ? `pipeline ${start.pipeline}` : 'other inputs';
    throw new SignetError(
      'SIGNET_RUN_CONFLICT',
      `run ${runId} was started by ${what}; resume it with the same pipeline and inputs, or use a new run id`,
      { details: { runId, pipeline, recorded: start.type === 'start' ? start.pipeline : undefined } },
    );
  }
  const steps = new Map<string, StepRecord>();
  /** Per step: values of its recorded calls, and calls that started, by key. */
  const calls = new Map<string, { values: Map<string, unknown>; started: Set<string> }>();
  const callsOf = (step: string) => {
    let entry = calls.get(step);
    if (entry === undefined) {
      entry = { values: new Map(), started: new Set() };
      calls.set(step, entry);
    }
    return entry;
  };
  let ended: FieldValues | undefined;
  for (const record of records) {
    if (record.type === 'step') steps.set(record.step, record);
    else if (record.type === 'end') ended = record.outputs;
    else if (record.type === 'call') callsOf(record.step).values.set(record.key, record.value);
    else if (record.type === 'call-start') callsOf(record.step).started.add(record.key);
  }
  return {
    recorded: (step) => steps.get(step),
    async record(step) {
      const record: StepRecord = { type: 'step', ...step, at: Date.now() };
      await store.append(stream, JSON.stringify(record));
      steps.set(step.step, record);
    },
    ended,
    async end(outputs) {
      await store.append(stream, JSON.stringify({ type: 'end', outputs, at: Date.now() }));
    },
    checkpoints(step, allowUncertainSteps) {
      const recorded = callsOf(step);
      const counts = new Map<string, number>();
      return {
        allowUncertainSteps,
        key(base) {
          const n = (counts.get(base) ?? 0) + 1;
          counts.set(base, n);
          return `${base}#${n}`;
        },
        recorded: (key) => (recorded.values.has(key) ? { value: recorded.values.get(key) } : undefined),
        started: (key) => recorded.started.has(key) && !recorded.values.has(key),
        async start(key) {
          await store.append(stream, JSON.stringify({ type: 'call-start', step, key, at: Date.now() }));
          recorded.started.add(key);
        },
        async record(key, value) {
          // JSON drops undefined; null stands for it, so a recorded "nothing" is still recorded.
          const record = {
            type: 'call',
            step,
            key,
            value: value === undefined ? null : value,
            at: Date.now(),
          };
          await store.append(stream, JSON.stringify(record));
          recorded.values.set(key, record.value);
        },
      };
    },
  };
}
