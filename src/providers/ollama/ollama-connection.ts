import type { Ollama } from 'ollama';

/** Ollama's own default address. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** Where and how to reach an Ollama server; shared by the provider and the model listing helpers. */
export interface OllamaConnectionOptions {
  /**
   * Server address: a URL (`http://10.0.0.5:11434`) or `host:port`. Defaults to the `OLLAMA_HOST`
   * environment variable, then `http://127.0.0.1:11434`.
   */
  readonly host?: string | undefined;
  /** fetch implementation (default: the global fetch). Every request gets the call's AbortSignal added. */
  readonly fetch?: typeof fetch | undefined;
  /** Extra HTTP headers, e.g. for an authenticating reverse proxy. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Environment read for `OLLAMA_HOST` (default `process.env`); pass `{}` to ignore it. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The server address a connection uses, before the client normalizes it. */
export function resolveOllamaHost(connection: OllamaConnectionOptions): string {
  const fromEnv = (connection.env ?? process.env).OLLAMA_HOST;
  return (
    connection.host ?? (fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_OLLAMA_HOST)
  );
}

/**
 * A client for one request. Every HTTP call it makes carries `signal`, so aborting the signal cancels
 * the request whichever client method made it; the client itself only aborts the streams it started.
 * The `ollama` package is imported on first use, so programs that never talk to Ollama don't load it.
 */
export async function createOllamaClient(
  connection: OllamaConnectionOptions,
  signal: AbortSignal | undefined,
): Promise<Ollama> {
  const { Ollama } = await import('ollama');
  const base = connection.fetch ?? globalThis.fetch;
  const fetchWithSignal: typeof fetch = (input, init) => {
    const own = init?.signal ?? undefined;
    const combined = own === undefined ? signal : signal === undefined ? own : AbortSignal.any([own, signal]);
    return base(input, combined === undefined ? init : { ...init, signal: combined });
  };
  return new Ollama({
    host: resolveOllamaHost(connection),
    fetch: fetchWithSignal,
    ...(connection.headers === undefined ? {} : { headers: { ...connection.headers } }),
  });
}
