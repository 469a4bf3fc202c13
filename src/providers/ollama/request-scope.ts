/** The lifetime of one HTTP exchange with Ollama: one signal that every reason to stop aborts. */
export interface RequestScope {
  /** Aborted when the caller aborts, the timeout passes or the owning provider closes. */
  readonly signal: AbortSignal;
  /** Ends the scope: clears the timer and detaches from the caller's signal. Idempotent. */
  release(): void;
}

/** What a scope listens to. */
export interface RequestScopeOptions {
  /** The caller's signal; its reason becomes the scope's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Aborts with a `TimeoutError` after this many ms (Ax's per-call `timeout`). */
  readonly timeoutMs?: number | undefined;
  /** Open scopes of the owner, so closing the owner can abort them; the scope removes itself on release. */
  readonly openScopes?: Set<AbortController> | undefined;
}

/**
 * Opens a scope. Listeners are removed on release (instead of `AbortSignal.any` on a long-lived signal),
 * so a provider that lives for the whole process does not accumulate them.
 */
export function openRequestScope(options: RequestScopeOptions): RequestScope {
  const controller = new AbortController();
  const caller = options.signal;
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.timeoutMs !== undefined && !controller.signal.aborted) {
    const ms = options.timeoutMs;
    timer = setTimeout(
      () => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')),
      ms,
    );
  }
  options.openScopes?.add(controller);
  let released = false;
  return {
    signal: controller.signal,
    release() {
      if (released) return;
      released = true;
      if (timer !== undefined) clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
      options.openScopes?.delete(controller);
    },
  };
}
