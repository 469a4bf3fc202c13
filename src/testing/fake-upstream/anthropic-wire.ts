import {
  type Generation,
  jsonAnswer,
  modelOf,
  retryAfterHeader,
  streamFlag,
  type UpstreamDialect,
  type WireEvent,
} from './upstream-dialect.ts';

const ERRORS: Readonly<Record<number, { type: string; message: string }>> = {
  400: { type: 'invalid_request_error', message: 'invalid request (fake upstream)' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'Not found' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: {
    type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization.',
  },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/** Anthropic's Messages dialect. */
export const anthropicWire: UpstreamDialect = {
  defaultModel: 'claude-3-5-haiku-latest',
  basePath: '/v1',
  env: (baseUrl) => ({ ANTHROPIC_API_KEY: 'sk-ant-fake-upstream-0000000000', ANTHROPIC_BASE_URL: baseUrl }),
  route(method, url, json) {
    const path = url.pathname;
    if (method === 'POST' && path.endsWith('/messages')) {
      return { kind: 'generate', streamed: streamFlag(json) === true, model: modelOf(json) };
    }
    if (method === 'GET' && path.endsWith('/models')) {
      return {
        kind: 'answer',
        answer: ({ model }) =>
          jsonAnswer(200, { data: [entry(model)], has_more: false, first_id: model, last_id: model }),
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
        type: 'message',
        role: 'assistant',
        model: generation.model,
        content: [{ type: 'text', text: generation.text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: generation.usage.promptTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: generation.usage.completionTokens,
          service_tier: 'standard',
        },
      },
      { 'request-id': requestId(generation) },
    ),
  stream: (generation) => ({
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId(generation),
    },
    events: streamEvents(generation),
  }),
  frame: (event) => `event: ${event.name ?? 'message'}\ndata: ${event.data}\n\n`,
  error(status, retryAfterS) {
    const known = ERRORS[status] ?? { type: 'api_error', message: 'Internal server error' };
    const rateLimit =
      status === 429
        ? { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0' }
        : {};
    return jsonAnswer(
      status,
      { type: 'error', error: { type: known.type, message: known.message }, request_id: 'req_fake_error' },
      {
        ...rateLimit,
        ...retryAfterHeader(retryAfterS),
        'request-id': 'req_fake_error',
        'x-should-retry': String(status === 408 || status === 409 || status === 429 || status >= 500),
      },
      status === 529 ? 'Overloaded' : undefined,
    );
  },
  notFound: () =>
    jsonAnswer(404, { type: 'error', error: { type: 'not_found_error', message: 'Not Found' } }),
};

function streamEvents(generation: Generation): WireEvent[] {
  const event = (name: string, data: Record<string, unknown>): WireEvent => ({
    name,
    data: JSON.stringify({ type: name, ...data }),
  });
  const input = generation.usage.promptTokens;
  return [
    event('message_start', {
      message: {
        model: generation.model,
        id: id(generation),
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping', {}),
    ...generation.pieces.map((text) =>
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
    ),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: input,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: generation.usage.completionTokens,
      },
    }),
    event('message_stop', {}),
  ];
}

function entry(model: string) {
  return { type: 'model', id: model, display_name: model, created_at: '2024-10-22T00:00:00Z' };
}

function id(generation: Generation): string {
  return `msg_fake${generation.serial}`;
}

function requestId(generation: Generation): string {
  return `req_fake${generation.serial}`;
}
