import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SignetError } from '../../src/index.ts';
import type { RouteScope } from '../http/request-context.ts';
import type { ApiKeyStore } from './api-key-store.ts';
import { verifyApiKey } from './verify-api-key.ts';

/** Authentication settings of an app. */
export type AuthOptions =
  | { readonly mode: 'off'; readonly keys?: ApiKeyStore }
  | { readonly mode: 'on'; readonly keys: ApiKeyStore };

/** Paths served to anyone: the API description and its docs page. */
const PUBLIC_PREFIXES = ['/docs', '/openapi.json'];

/**
 * Adds API-key authentication. The key (`X-API-Key: sk_signet_...` or `Authorization: Bearer
 * sk_signet_...`) is checked in `onRequest`, so the rate limiter can key on it; the decision is enforced
 * in `preParsing`, after rate limiting and before any body is read. Routes declare `config.scope`
 * (`public`, `execute` — the default — or `admin`, which also grants `execute`).
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.addHook('onRoute', (route) => {
    if (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...(route.config ?? {}), scope: 'public' };
    }
  });
  if (options.mode === 'off') return;
  const { keys } = options;

  app.addHook('onRequest', async (request) => {
    const presented = presentedKey(request);
    if (presented === undefined) {
      request.signet.authFailure = 'missing';
      return;
    }
    const verdict = await verifyApiKey(keys, presented);
    if (verdict.ok) request.signet.identity = verdict.identity;
    else request.signet.authFailure = verdict.reason;
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const scope: RouteScope = request.routeOptions.config.scope ?? 'execute';
    if (scope === 'public') return payload;
    const identity = request.signet.identity;
    if (identity === undefined) {
      const failure = request.signet.authFailure ?? 'missing';
      throw new SignetError(
        'SIGNET_UNAUTHORIZED',
        failure === 'missing'
          ? 'an API key is required: send "Authorization: Bearer sk_signet_..." or "X-API-Key: sk_signet_..." (create one with `signet keys create`)'
          : `the API key is ${failure === 'malformed' ? 'malformed' : failure === 'revoked' ? 'revoked' : 'not valid'}; check it or create a new one with \`signet keys create\``,
      );
    }
    const allowed = identity.scopes.includes('admin') || identity.scopes.includes(scope);
    if (!allowed) {
      throw new SignetError(
        'SIGNET_FORBIDDEN',
        `the API key "${identity.name}" lacks the "${scope}" scope this endpoint needs`,
        { details: { required: scope, scopes: identity.scopes } },
      );
    }
    return payload;
  });
}

/** The key a request presents, if any. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? (authorization.trim() === '' ? undefined : authorization.trim());
}
