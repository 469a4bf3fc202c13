import { z } from 'zod';

const snapshotSchema = z.object({
  /** Resident set size, bytes. */
  rss: z.number(),
  /** V8 heap in use, bytes. */
  heapUsed: z.number(),
});

/** Messages the soak child sends its parent over IPC. */
export const soakMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), done: z.number(), total: z.number() }),
  z.object({
    type: z.literal('result'),
    variant: z.enum(['signet', 'raw']),
    runs: z.number(),
    /** After loading and building the program, before any run. */
    idle: snapshotSchema,
    /** After the warm-up runs, then after each equal interval of the soak. */
    checkpoints: z.array(snapshotSchema).min(2),
  }),
  /** The whole answer of a child started with 0 runs: memory after loading and building, then exit. */
  z.object({ type: z.literal('idle'), variant: z.enum(['signet', 'raw']), idle: snapshotSchema }),
]);

/** Memory figures after a forced full GC. */
export type SoakSnapshot = z.output<typeof snapshotSchema>;
export type SoakMessage = z.output<typeof soakMessageSchema>;
export type SoakResult = Extract<SoakMessage, { type: 'result' }>;
export type IdleResult = Extract<SoakMessage, { type: 'idle' }>;
