import { fakeEmbedding } from './fake-embedding.ts';
import {
  type Generation,
  jsonAnswer,
  retryAfterHeader,
  type UpstreamDialect,
  type WireAnswer,
  type WireEvent,
} from './upstream-dialect.ts';

const ERRORS: Readonly<Record<number, { status: string; message: string }>> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: { status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission.' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' },
  500: { status: 'INTERNAL', message: 'An internal error has occurred. Please retry.' },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
};

const CONTENT_TYPE = { 'content-type': 'application/json; charset=UTF-8' };

/**
 * Gemini's generateContent dialect: `{base}/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` (events end with CRLF CRLF), `:embedContent`, `:batchEmbedContents`.
 */
export const geminiWire: UpstreamDialect = {
  defaultModel: 'gemini-2.0-flash',
  basePath: '/v1beta',
  env: (baseUrl) => ({ GEMINI_API_KEY: 'AIzaFakeUpstream000000000000000', GEMINI_BASE_URL: baseUrl }),
  route(method, url, json) {
    const call = /\/models\/([^/:]+):([A-Za-z]+)$/.exec(url.pathname);
    if (method === 'POST' && call !== null) {
      const model = decodeURIComponent(call[1] ?? '');
      switch (call[2]) {
        case 'generateContent':
          return { kind: 'generate', streamed: false, model };
        case 'streamGenerateContent':
          return { kind: 'generate', streamed: true, model };
        case 'embedContent':
          return { kind: 'answer', answer: () => jsonAnswer(200, { embedding: embed(json) }, CONTENT_TYPE) };
        case 'batchEmbedContents':
          return { kind: 'answer', answer: () => batchEmbed(json) };
        default:
          return undefined;
      }
    }
    if (method === 'GET' && url.pathname.endsWith('/models')) {
      return {
        kind: 'answer',
        answer: ({ model }) => jsonAnswer(200, { models: [entry(model)] }, CONTENT_TYPE),
      };
    }
    const one = /\/models\/([^/:]+)$/.exec(url.pathname)?.[1];
    if (method === 'GET' && one !== undefined) {
      return { kind: 'answer', answer: () => jsonAnswer(200, entry(decodeURIComponent(one)), CONTENT_TYPE) };
    }
    return undefined;
  },
  complete: (generation) =>
    jsonAnswer(
      200,
      {
        candidates: [candidate(generation.text, true)],
        usageMetadata: usageMetadata(generation, true),
        modelVersion: generation.model,
        responseId: responseId(generation),
      },
      CONTENT_TYPE,
    ),
  stream: (generation) => ({
    headers: { 'content-type': 'text/event-stream' },
    events: streamEvents(generation),
  }),
  frame: (event) => `data: ${event.data}\r\n\r\n`,
  error(status, retryAfterS) {
    const known = ERRORS[status] ?? (status >= 500 ? ERRORS[500] : ERRORS[400]);
    const details =
      retryAfterS === undefined
        ? {}
        : {
            details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterS}s` }],
          };
    return jsonAnswer(
      status,
      {
        error: {
          code: status,
          message: known?.message ?? 'error',
          status: known?.status ?? 'UNKNOWN',
          ...details,
        },
      },
      { ...CONTENT_TYPE, ...retryAfterHeader(retryAfterS) },
    );
  },
  notFound: (method, path) =>
    jsonAnswer(
      404,
      { error: { code: 404, message: `Method not found: ${method} ${path}.`, status: 'NOT_FOUND' } },
      CONTENT_TYPE,
    ),
};

function streamEvents(generation: Generation): WireEvent[] {
  const pieces = generation.pieces.length === 0 ? [''] : generation.pieces;
  return pieces.map((text, index) => {
    const last = index === pieces.length - 1;
    return {
      data: JSON.stringify({
        candidates: [candidate(text, last)],
        usageMetadata: usageMetadata(generation, last),
        modelVersion: generation.model,
        responseId: responseId(generation),
      }),
    };
  });
}

function candidate(text: string, last: boolean) {
  return {
    content: { parts: [{ text }], role: 'model' },
    ...(last ? { finishReason: 'STOP' } : {}),
    index: 0,
  };
}

function usageMetadata({ usage }: Generation, final: boolean) {
  const prompt = usage.promptTokens;
  return {
    promptTokenCount: prompt,
    ...(final ? { candidatesTokenCount: usage.completionTokens } : {}),
    totalTokenCount: final ? prompt + usage.completionTokens : prompt,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
}

function embed(request: unknown): { values: number[] } {
  const parts = (request as { content?: { parts?: { text?: unknown }[] } } | undefined)?.content?.parts ?? [];
  const text = parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
  return { values: fakeEmbedding(text) };
}

function batchEmbed(json: unknown): WireAnswer {
  const requests = (json as { requests?: unknown } | undefined)?.requests;
  return jsonAnswer(200, { embeddings: (Array.isArray(requests) ? requests : []).map(embed) }, CONTENT_TYPE);
}

function entry(model: string) {
  return {
    name: `models/${model}`,
    version: '001',
    displayName: model,
    description: `${model} (fake upstream)`,
    inputTokenLimit: 1048576,
    outputTokenLimit: 8192,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
    temperature: 1,
    topP: 0.95,
    topK: 40,
    maxTemperature: 2,
  };
}

function responseId(generation: Generation): string {
  return `fakeResponse${generation.serial}`;
}
