import { fakeEmbedding, inputTexts, roughTokenCount } from './fake-embedding.ts';
import {
  type Generation,
  jsonAnswer,
  modelOf,
  retryAfterHeader,
  streamFlag,
  type UpstreamDialect,
  type WireAnswer,
  type WireEvent,
} from './upstream-dialect.ts';

const ERRORS: Readonly<Record<number, { type: string; code: string | null; message: string }>> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request (fake upstream).' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests per min (RPM) (fake upstream). Please try again later.',
  },
  503: {
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
};

const SERVER_ERROR = {
  type: 'server_error',
  code: null,
  message: 'The server had an error while processing your request. Sorry about that!',
};

/** OpenAI's Chat Completions dialect (also OpenAI-compatible servers and the Hugging Face router). */
export const openaiWire: UpstreamDialect = {
  defaultModel: 'gpt-4o-mini',
  basePath: '/v1',
  env: (baseUrl) => ({ OPENAI_API_KEY: 'sk-fake-upstream-0000000000000000', OPENAI_BASE_URL: baseUrl }),
  route(method, url, json) {
    const path = url.pathname;
    if (method === 'POST' && path.endsWith('/chat/completions')) {
      return { kind: 'generate', streamed: streamFlag(json) === true, model: modelOf(json) };
    }
    if (method === 'POST' && path.endsWith('/embeddings')) return { kind: 'answer', answer: embeddings };
    if (method === 'GET' && path.endsWith('/models')) {
      return {
        kind: 'answer',
        answer: ({ model }) => jsonAnswer(200, { object: 'list', data: [entry(model)] }),
      };
    }
    const one = /\/models\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && one !== undefined) {
      return { kind: 'answer', answer: () => jsonAnswer(200, entry(decodeURIComponent(one))) };
    }
    return undefined;
  },
  complete: (generation) =>
    jsonAnswer(
      200,
      {
        id: id(generation),
        object: 'chat.completion',
        created: seconds(generation),
        model: generation.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: generation.text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: usage(generation),
        service_tier: 'default',
        system_fingerprint: 'fp_fake0upstream',
      },
      requestHeaders(generation),
    ),
  stream: (generation) => ({
    headers: { 'content-type': 'text/event-stream; charset=utf-8', ...requestHeaders(generation) },
    events: streamEvents(generation),
  }),
  frame: (event) => `data: ${event.data}\n\n`,
  error(status, retryAfterS) {
    const known = ERRORS[status] ?? SERVER_ERROR;
    const rateLimit =
      status === 429
        ? {
            'x-ratelimit-limit-requests': '10000',
            'x-ratelimit-remaining-requests': '0',
            'x-ratelimit-reset-requests': `${retryAfterS ?? 1}s`,
            'x-ratelimit-limit-tokens': '200000',
            'x-ratelimit-remaining-tokens': '0',
            'x-ratelimit-reset-tokens': `${retryAfterS ?? 1}s`,
          }
        : {};
    return jsonAnswer(
      status,
      { error: { message: known.message, type: known.type, param: null, code: known.code } },
      { ...rateLimit, ...retryAfterHeader(retryAfterS), 'x-request-id': 'req_fake_error' },
    );
  },
  notFound: (method, path) =>
    jsonAnswer(404, {
      error: {
        message: `Invalid URL (${method} ${path})`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    }),
};

function streamEvents(generation: Generation): WireEvent[] {
  const includeUsage = includesUsage(generation.json);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): WireEvent => ({
    data: JSON.stringify({
      id: id(generation),
      object: 'chat.completion.chunk',
      created: seconds(generation),
      model: generation.model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake0upstream',
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    }),
  });
  const delta = (content: Record<string, unknown>, finish: string | null) => ({
    index: 0,
    delta: content,
    logprobs: null,
    finish_reason: finish,
  });
  return [
    chunk([delta({ role: 'assistant', content: '', refusal: null }, null)]),
    ...generation.pieces.map((piece) => chunk([delta({ content: piece }, null)])),
    chunk([delta({}, 'stop')]),
    ...(includeUsage ? [chunk([], { usage: usage(generation) })] : []),
    { data: '[DONE]' },
  ];
}

/** Whether the request asked for the usage chunk (`stream_options.include_usage`). */
function includesUsage(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const options = (json as { stream_options?: { include_usage?: unknown } }).stream_options;
  return options?.include_usage === true;
}

function embeddings({ model, json }: { model: string; json: unknown }): WireAnswer {
  const input = typeof json === 'object' && json !== null ? (json as { input?: unknown }).input : undefined;
  const texts = inputTexts(input);
  const tokens = texts.reduce((sum, text) => sum + roughTokenCount(text), 0);
  return jsonAnswer(200, {
    object: 'list',
    data: texts.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) })),
    model: modelOf(json) ?? model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

function usage({ usage: { promptTokens, completionTokens } }: Generation) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function entry(model: string) {
  return { id: model, object: 'model', created: 1721172741, owned_by: 'system' };
}

function requestHeaders(generation: Generation): Record<string, string> {
  return { 'openai-processing-ms': '1', 'x-request-id': `req_fake${generation.serial}` };
}

function id(generation: Generation): string {
  return `chatcmpl-fake${generation.serial}`;
}

function seconds(generation: Generation): number {
  return Math.floor(generation.created.getTime() / 1000);
}
