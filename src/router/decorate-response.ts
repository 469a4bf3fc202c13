import type { AxChatResponse, AxEmbedResponse } from '@ax-llm/ax';
import { describeRoute, type RouteRecord } from './route-record.ts';

/** Key of the router's entry in `providerMetadata`. */
export const ROUTER_METADATA_KEY = 'signetRouter';

/** What the router adds to `providerMetadata.signetRouter` of an answer. */
export function routeMetadata(record: RouteRecord): Record<string, unknown> {
  return {
    callId: record.callId,
    deployment: record.deployment,
    route: describeRoute(record),
    attempts: record.attempts.map((attempt) => ({ ...attempt })),
  };
}

/**
 * Names the deployment in an answer: `modelUsage.ai` becomes the deployment id (added when the provider
 * sent no usage, except on stream chunks), and the first chunk or whole answer gets the route metadata.
 */
export function decorateChat(
  response: AxChatResponse,
  index: number,
  record: RouteRecord,
  model: string,
  streamed: boolean,
): AxChatResponse {
  const deployment = record.deployment ?? 'unknown';
  const usage =
    response.modelUsage !== undefined
      ? { ...response.modelUsage, ai: deployment }
      : streamed
        ? undefined
        : { ai: deployment, model };
  return {
    ...response,
    ...(usage === undefined ? {} : { modelUsage: usage }),
    ...(index === 0
      ? { providerMetadata: { ...response.providerMetadata, [ROUTER_METADATA_KEY]: routeMetadata(record) } }
      : {}),
  };
}

/** The same for an embedding answer. */
export function decorateEmbed(
  response: AxEmbedResponse,
  record: RouteRecord,
  model: string,
): AxEmbedResponse {
  const deployment = record.deployment ?? 'unknown';
  return {
    ...response,
    modelUsage: { ...(response.modelUsage ?? { model }), ai: deployment },
    providerMetadata: { ...response.providerMetadata, [ROUTER_METADATA_KEY]: routeMetadata(record) },
  };
}
