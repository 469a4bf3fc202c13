import { z } from 'zod';

/**
 * Which server a child runs: signet's app, the same with the response cache on an embedded store in a
 * temporary folder (`signet-cached`), or a bare Fastify route answering the same JSON.
 */
export const serverVariantSchema = z.enum(['signet', 'signet-cached', 'bare']);
export type ServerVariant = z.output<typeof serverVariantSchema>;

/** Messages a server child sends its parent over IPC. */
export const serverChildMessageSchema = z.discriminatedUnion('type', [
  /** Listening on 127.0.0.1 at this port. */
  z.object({ type: z.literal('listening'), port: z.number().int().positive() }),
  /** Answer to a memory request, in bytes, with the CPU time the process has used so far (µs). */
  z.object({ type: z.literal('memory'), rss: z.number(), heapUsed: z.number(), cpuUs: z.number() }),
  /** The bare server took the JSON it will answer with. */
  z.object({ type: z.literal('configured') }),
]);

/** Messages a parent sends a server child. */
export const serverParentMessageSchema = z.discriminatedUnion('type', [
  /** Report memory; with `gc`, after two forced full collections. */
  z.object({ type: z.literal('memory'), gc: z.boolean() }),
  /** Bare server only: answer every request with this JSON (a real signet response). */
  z.object({ type: z.literal('reply-with'), json: z.string() }),
]);

export type ServerChildMessage = z.output<typeof serverChildMessageSchema>;
export type ServerParentMessage = z.output<typeof serverParentMessageSchema>;
