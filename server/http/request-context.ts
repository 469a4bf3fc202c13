import type { ApiKeyIdentity, ApiKeyRefusal } from '../auth/verify-api-key.ts';

/** Who may call a route: anyone, any valid key (`execute`), or keys with the `admin` scope. */
export type RouteScope = 'public' | 'execute' | 'admin';

/** Per-request state the server's hooks share. */
export interface RequestContext {
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** The verified API key, when one was presented and accepted. */
  identity: ApiKeyIdentity | undefined;
  /** Why authentication failed (`missing` when no key was sent), when auth is on and it failed. */
  authFailure: ApiKeyRefusal | 'missing' | undefined;
  /** Time spent waiting for providers, set by routes that call one; feeds the gateway-overhead metric. */
  providerMs: number | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** signet's per-request state (set by the first onRequest hook). */
    signet: RequestContext;
  }
  interface FastifyContextConfig {
    /** Who may call the route (default `execute`). */
    scope?: RouteScope;
    /** False for routes that must answer even under load (health, readiness, metrics). */
    shed?: boolean;
    /** Routes answering in the OpenAI error shape. */
    openai?: boolean;
  }
}
