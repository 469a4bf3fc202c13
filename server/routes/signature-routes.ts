import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  defineSignature,
  type Signature,
  type SignatureExample,
  type SignatureRegistry,
} from '../../src/index.ts';
import { commonErrorResponses, errorBodySchema } from '../schemas/common-schemas.ts';

/** Options of the signature catalog routes. */
export interface SignatureRoutesOptions {
  readonly signatures: SignatureRegistry;
}

const summarySchema = z.object({
  name: z.string(),
  version: z.string(),
  versions: z.array(z.string()).readonly(),
  description: z.string().optional(),
  tags: z.array(z.string()).readonly(),
  inputs: z.array(z.string()).readonly(),
  outputs: z.array(z.string()).readonly(),
  hash: z.string(),
});

const versionSchema = z.object({
  version: z.string(),
  description: z.string().optional(),
  instructions: z.string().optional(),
  tags: z.array(z.string()).readonly(),
  hash: z.string(),
  inputs: z.array(z.unknown()).readonly().describe('Field specs (name, type, constraints, description)'),
  outputs: z.array(z.unknown()).readonly(),
  jsonSchema: z.object({
    input: z.record(z.string(), z.unknown()),
    output: z.record(z.string(), z.unknown()),
  }),
  examples: z.array(z.unknown()).readonly(),
});

const detailSchema = z.object({ name: z.string(), latest: z.string(), versions: z.array(versionSchema) });

const registerBodySchema = z.strictObject({
  name: z.string().min(1).max(100).describe('Lowercase words joined by -, _ or . (e.g. summarize-ticket)'),
  version: z.string().min(1).max(50).describe('Semantic version, e.g. 1.0.0'),
  signature: z.string().min(1).max(10_000).describe("Ax DSL: 'ticket:string -> summary:string'"),
  description: z.string().max(2_000).optional(),
  instructions: z.string().max(10_000).optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
  examples: z
    .array(
      z.strictObject({
        inputs: z.record(z.string(), z.unknown()),
        outputs: z.record(z.string(), z.unknown()),
        note: z.string().max(1_000).optional(),
      }),
    )
    .max(20)
    .optional(),
});

/** `GET /api/v1/dspy/signatures`, `GET /api/v1/dspy/signatures/:name`, `POST /api/v1/dspy/signatures`. */
export const signatureRoutes: FastifyPluginAsyncZod<SignatureRoutesOptions> = async (app, { signatures }) => {
  app.get(
    '/api/v1/dspy/signatures',
    {
      schema: {
        summary: 'List the signature catalog',
        tags: ['signatures'],
        response: { 200: z.object({ signatures: z.array(summarySchema).readonly() }) },
      },
    },
    async () => ({ signatures: signatures.list() }),
  );

  app.get(
    '/api/v1/dspy/signatures/:name',
    {
      schema: {
        summary: 'One signature: versions, JSON Schemas of inputs and outputs, examples, instructions',
        tags: ['signatures'],
        params: z.object({ name: z.string().min(1).max(200) }),
        querystring: z.object({ version: z.string().min(1).max(100).optional() }),
        response: { 200: detailSchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const { name } = request.params;
      const { version } = request.query;
      const latest = signatures.get(name);
      const chosen =
        version === undefined
          ? signatures.versions(name).map((v) => signatures.get(`${name}@${v}`))
          : [signatures.get(`${name}@${version}`)];
      return { name: latest.name, latest: latest.version, versions: chosen.map(describeVersion) };
    },
  );

  app.post(
    '/api/v1/dspy/signatures',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Register a signature written in the DSL (admin scope)',
        tags: ['signatures'],
        body: registerBodySchema,
        response: { 201: detailSchema, ...commonErrorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const signature = defineSignature({
        name: body.name,
        version: body.version,
        signature: body.signature,
        description: body.description,
        instructions: body.instructions,
        tags: body.tags,
        examples: body.examples as readonly SignatureExample[] | undefined,
      } as Parameters<typeof defineSignature<string>>[0]) as Signature;
      signatures.register(signature); // SIGNET_SIGNATURE_DUPLICATE (409) when name@version exists
      request.log.info({ signature: signature.id }, 'signature registered');
      reply.status(201);
      return {
        name: signature.name,
        latest: signatures.get(signature.name).version,
        versions: [describeVersion(signature)],
      };
    },
  );
};

function describeVersion(signature: Signature): z.infer<typeof versionSchema> {
  return {
    version: signature.version,
    ...(signature.description === undefined ? {} : { description: signature.description }),
    ...(signature.instructions === undefined ? {} : { instructions: signature.instructions }),
    tags: signature.tags,
    hash: signature.hash(),
    inputs: signature.inputs,
    outputs: signature.visibleOutputs,
    jsonSchema: signature.jsonSchema(),
    examples: signature.examples,
  };
}
