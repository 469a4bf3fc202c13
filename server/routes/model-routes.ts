import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignetError } from '../../src/index.ts';
import type { ModelDescription, ProviderResolver } from '../provider-resolver.ts';
import { errorBodySchema } from '../schemas/common-schemas.ts';

/** Options of the model and provider routes. */
export interface ModelRoutesOptions {
  readonly providers: ProviderResolver;
}

const modelSchema = z.object({
  id: z.string().describe('The id to send as config.model or the OpenAI model field'),
  provider: z.string(),
  model: z.string(),
  description: z.string().optional(),
  roles: z.array(z.string()).readonly(),
  local: z.boolean().optional(),
  contextWindow: z.number().optional(),
  streaming: z.boolean().optional(),
});
const modelsSchema = z.object({ models: z.array(modelSchema).readonly() });
const healthSchema = z.object({
  id: z.string(),
  provider: z.string(),
  model: z.string(),
  ok: z.boolean(),
  breaker: z.enum(['closed', 'half-open', 'open']),
  latencyMs: z.number().optional(),
  lastError: z.string().optional(),
  checkedAt: z.string().optional(),
});
const roleSchema = z.object({
  role: z.string(),
  task: z.enum(['chat', 'embed']),
  chosen: z
    .object({
      id: z.string().describe('Catalog model id'),
      deployment: z.string().describe('Deployment that serves it'),
      model: z.string().describe('Model name sent to the provider'),
    })
    .optional(),
  reason: z.string().optional().describe('Why nothing fits, when no model is chosen'),
  candidates: z
    .array(z.object({ id: z.string(), eligible: z.boolean(), reasons: z.array(z.string()).readonly() }))
    .readonly(),
});
const tags = ['models'];

/** Model and provider listings, all served from the resolver's `list()` and `health()`. */
export const modelRoutes: FastifyPluginAsyncZod<ModelRoutesOptions> = async (app, { providers }) => {
  app.get(
    '/api/v1/models',
    { schema: { summary: 'Every model the server can run', tags, response: { 200: modelsSchema } } },
    async () => ({ models: providers.list() }),
  );

  app.get(
    '/api/v1/models/roles',
    {
      schema: {
        summary:
          "The model registry's roles (planner, critic...), the model each runs on now and why (config.role)",
        tags,
        response: { 200: z.object({ roles: z.array(roleSchema).readonly() }) },
      },
    },
    async () => ({ roles: providers.roles?.() ?? [] }),
  );

  app.get(
    '/api/v1/models/search',
    {
      schema: {
        summary: 'Models whose id, provider, description or roles contain the query',
        tags,
        querystring: z.object({ q: z.string().min(1).max(200) }),
        response: { 200: modelsSchema },
      },
    },
    async (request) => ({ models: searchModels(providers.list(), request.query.q) }),
  );

  app.get(
    '/api/v1/models/:provider',
    {
      schema: {
        summary: "One provider's models",
        tags,
        params: z.object({ provider: z.string().min(1).max(100) }),
        response: { 200: modelsSchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const { provider } = request.params;
      const models = providers.list().filter((m) => m.provider === provider);
      if (models.length === 0) throw unknownModel(`no provider named "${provider}"`, providers.list());
      return { models };
    },
  );

  app.get(
    '/api/v1/models/:provider/*',
    {
      schema: {
        summary: 'One model (model names may contain slashes)',
        tags,
        params: z.object({ provider: z.string().min(1).max(100), '*': z.string().min(1).max(300) }),
        response: { 200: modelSchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const { provider, '*': model } = request.params;
      const found = providers.list().find((m) => m.provider === provider && m.model === model);
      if (found === undefined) {
        throw unknownModel(`provider "${provider}" serves no model "${model}"`, providers.list());
      }
      return found;
    },
  );

  app.get(
    '/api/v1/providers',
    {
      schema: {
        summary: 'Providers and the models each serves',
        tags,
        response: {
          200: z.object({
            providers: z.array(
              z.object({ name: z.string(), models: z.array(z.string()), local: z.boolean() }),
            ),
          }),
        },
      },
    },
    async () => {
      const byName = new Map<string, { name: string; models: string[]; local: boolean }>();
      for (const m of providers.list()) {
        const entry = byName.get(m.provider) ?? { name: m.provider, models: [], local: m.local === true };
        entry.models.push(m.id);
        byName.set(m.provider, entry);
      }
      return { providers: [...byName.values()] };
    },
  );

  app.get(
    '/api/v1/providers/health',
    {
      schema: {
        summary: 'Per-deployment health: breaker state, latency, last error',
        tags,
        response: { 200: z.object({ deployments: z.array(healthSchema).readonly() }) },
      },
    },
    async (_request, reply) => {
      const controller = new AbortController();
      reply.raw.on('close', () => controller.abort());
      return { deployments: await providers.health(controller.signal) };
    },
  );
};

/** Case-insensitive substring match; exact id matches first, then by id. */
export function searchModels(models: readonly ModelDescription[], query: string): ModelDescription[] {
  const q = query.toLowerCase();
  const text = (m: ModelDescription) =>
    [m.id, m.provider, m.model, m.description ?? '', ...m.roles].join(' ').toLowerCase();
  return models
    .filter((m) => text(m).includes(q))
    .sort(
      (a, b) =>
        Number(b.id.toLowerCase() === q) - Number(a.id.toLowerCase() === q) || a.id.localeCompare(b.id),
    );
}

function unknownModel(what: string, models: readonly ModelDescription[]): SignetError {
  const available = models.map((m) => `${m.provider}/${m.model}`);
  return new SignetError(
    'SIGNET_MODEL_UNKNOWN',
    `${what.slice(0, 300)}; available: ${available.join(', ') || '(none configured)'}`,
    { details: { available } },
  );
}
