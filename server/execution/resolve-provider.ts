import { SignetError } from '../../src/index.ts';
import type { ProviderResolver, ResolvedProvider, ResolveRequest } from '../provider-resolver.ts';

/** What to do when no provider is configured at all; part of every SIGNET_PROVIDER_UNAVAILABLE message. */
export const ADD_PROVIDER_HINT =
  'Add one: run a local model with `npm run demo`, start Ollama (`ollama serve`, then `ollama pull llama3.2`), ' +
  'or set OPENAI_API_KEY (or ANTHROPIC_API_KEY / GEMINI_API_KEY) and restart signet.';

/**
 * Asks the resolver for a provider and, when it has none, explains why: nothing configured (503 with
 * how to add one), an unknown model or role (404 with what exists), or everything that fits is down
 * (503, retryable).
 */
export function resolveProviderOrThrow(
  providers: ProviderResolver,
  request: ResolveRequest,
): ResolvedProvider {
  const resolved = providers.resolve(request);
  if (resolved !== undefined) return resolved;
  const models = providers.list();
  if (models.length === 0) {
    throw new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `no model provider is configured. ${ADD_PROVIDER_HINT}`,
    );
  }
  const { model, role } = request;
  if (
    model !== undefined &&
    !models.some((m) => m.id === model || m.model === model || `${m.provider}/${m.model}` === model)
  ) {
    throw new SignetError(
      'SIGNET_MODEL_UNKNOWN',
      `no provider serves model "${model.slice(0, 200)}"; available: ${models.map((m) => m.id).join(', ')}`,
      { details: { available: models.map((m) => m.id) } },
    );
  }
  if (model === undefined && role !== undefined && !models.some((m) => m.roles.includes(role))) {
    const roles = [...new Set(models.flatMap((m) => m.roles))];
    throw new SignetError(
      'SIGNET_MODEL_UNKNOWN',
      `no model serves role "${role.slice(0, 100)}"; roles: ${roles.join(', ') || '(none)'}`,
      { details: { roles } },
    );
  }
  throw new SignetError(
    'SIGNET_PROVIDER_UNAVAILABLE',
    'every provider that could serve this request is unavailable right now (see GET /api/v1/providers/health); retry later',
    { details: { retryAfterMs: 5_000 } },
  );
}
