import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SignetError } from '../../src/errors/index.ts';
import { errorBody, openAiErrorBody, toSignetError } from './error-response.ts';

/** Whether a request answers in the OpenAI error shape (the `/v1` routes, matched or not). */
export function isOpenAiRequest(request: FastifyRequest): boolean {
  return request.routeOptions.config.openai === true || /^\/v1(\/|\?|$)/.test(request.url);
}

/**
 * One error handler for the whole app: every failure becomes `{ error: { code, message, retryable,
 * requestId, issues? } }` (the OpenAI shape on `/v1`), 5xx are logged with their cause, internals are
 * never sent, and unknown routes are JSON 404s too.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const signet = toSignetError(error);
    logFailure(request, signet, error);
    const retryAfterMs = signet.details?.retryAfterMs;
    if (typeof retryAfterMs === 'number' && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    }
    if (signet.code === 'SIGNET_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="signet"');
    reply.status(signet.statusCode).type('application/json; charset=utf-8');
    return reply.send(isOpenAiRequest(request) ? openAiErrorBody(signet) : errorBody(signet, request.id));
  });

  app.setNotFoundHandler((request) => {
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    throw new SignetError(
      'SIGNET_ROUTE_NOT_FOUND',
      `no endpoint answers ${request.method} ${path}; see /openapi.json or /docs for the API`,
    );
  });
}

/**
 * Internal errors are logged with their cause and stack; upstream and overload failures (other 5xx) as
 * warnings with their code; client errors at info level. Messages never contain prompt text.
 */
export function logFailure(request: FastifyRequest, signet: SignetError, cause: unknown): void {
  if (signet.statusCode >= 500 && !signet.retryable && signet.code !== 'SIGNET_PROVIDER_AUTH') {
    request.log.error({ err: cause, code: signet.code }, 'request failed');
  } else if (signet.statusCode >= 500) {
    request.log.warn({ code: signet.code, reason: signet.message }, 'request failed upstream');
  } else {
    request.log.info({ code: signet.code }, 'request rejected');
  }
}
