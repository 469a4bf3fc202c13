import { AsyncLocalStorage } from 'node:async_hooks';

/** What one provider call saw of its upstream HTTP responses. */
export interface CallRecord {
  /** HTTP requests made (1 when retries are off, as they must be). */
  attempts: number;
  /** Status of the last response. */
  status?: number;
  /** `Retry-After` of the last response, in seconds or as an HTTP date. */
  retryAfter?: string;
}

/** Records upstream responses per provider call, so errors can be classified with their headers. */
export interface ResponseCapture {
  /** A fetch for Ax: calls the underlying fetch and notes each response in the current call's record. */
  readonly fetch: typeof fetch;
  /** Runs `fn` with `record` as the current call's record. */
  track<T>(record: CallRecord, fn: () => Promise<T>): Promise<T>;
}

/**
 * Ax's errors carry the status and body of a failed response but not its headers, and several calls can
 * share one Ax service at once; the record is kept per call in async context, not on the service.
 */
export function createResponseCapture(baseFetch: typeof fetch = globalThis.fetch): ResponseCapture {
  const current = new AsyncLocalStorage<CallRecord>();
  const capturingFetch: typeof fetch = async (input, init) => {
    const record = current.getStore();
    if (record !== undefined) record.attempts++;
    const response = await baseFetch(input, init);
    if (record !== undefined) {
      record.status = response.status;
      const retryAfter = retryAfterOf(response.headers);
      if (retryAfter === undefined) delete record.retryAfter;
      else record.retryAfter = retryAfter;
    }
    return response;
  };
  return { fetch: capturingFetch, track: (record, fn) => current.run(record, fn) };
}

/** `Retry-After`, or OpenAI's millisecond variant converted to seconds. */
function retryAfterOf(headers: Headers): string | undefined {
  const value = headers.get('retry-after');
  if (value !== null && value.trim() !== '') return value;
  const ms = headers.get('retry-after-ms')?.trim() ?? '';
  return ms !== '' && Number.isFinite(Number(ms)) ? String(Number(ms) / 1000) : undefined;
}
