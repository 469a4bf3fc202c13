import { isErrorCode, SignetError } from '../../errors/index.ts';
import type { WorkerError } from './engine-worker-protocol.ts';

/** Turns an error thrown inside an engine worker into data that survives `postMessage`. */
export function toWorkerError(error: unknown): WorkerError {
  if (SignetError.is(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: cloneable(error.details) }),
      ...(error.issues === undefined ? {} : { issues: error.issues }),
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * Rebuilds a worker's error on the main thread: a `SignetError` with the same code, message, details
 * and issues, or a plain `Error` with the same message (what the in-process engine throws there too).
 */
export function fromWorkerError(error: WorkerError): Error {
  if (error.code !== undefined && isErrorCode(error.code)) {
    return new SignetError(error.code, error.message, {
      ...(error.details === undefined ? {} : { details: error.details }),
      ...(error.issues === undefined ? {} : { issues: error.issues }),
    });
  }
  return new Error(error.message);
}

/** Details can hold anything; keep only what structured clone takes (drops functions and symbols). */
function cloneable(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return structuredClone(details);
  } catch {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  }
}
