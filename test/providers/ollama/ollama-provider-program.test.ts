import { AxGen, f } from '@ax-llm/ax';
import { afterEach, describe, expect, it } from 'vitest';
import { defineSignature, predict, SignetError } from '../../../src/index.ts';
import { createOllamaProvider } from '../../../src/providers/ollama/index.ts';
import {
  json,
  ndjson,
  type OllamaReplayServer,
  ollamaFixture,
  type ReplayReply,
  startOllamaReplayServer,
} from '../../helpers/ollama-replay-server.ts';

let server: OllamaReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function ollamaAnswering(reply: ReplayReply | ((request: { body: unknown }) => ReplayReply)) {
  server = await startOllamaReplayServer([{ method: 'POST', path: '/api/chat', reply }]);
  return { server, ai: createOllamaProvider({ host: server.url, model: 'llama3.2:3b' }) };
}

const capital = defineSignature({
  name: 'capital-of-country',
  version: '1.0.0',
  signature: 'question:string -> answer:string',
});

type ChatBody = { messages: { role: string; content: string }[]; stream: boolean; format?: unknown };

describe('programs on the Ollama provider', () => {
  it('runs predict(signature) end to end on a recorded answer', async () => {
    const { ai, server } = await ollamaAnswering(json(ollamaFixture('chat-answer-paris.json')));
    const result = await predict(capital).run({ question: 'What is the capital of France?' }, { ai });
    expect(result.outputs).toEqual({ answer: 'Paris' });
    expect(result.usage).toEqual({ promptTokens: 86, completionTokens: 4, totalTokens: 90 });
    expect(result.trace).toMatchObject({ provider: 'ollama', model: 'llama3.2:3b', attempts: 1 });
    const body = server.bodyOf(0) as ChatBody;
    expect(body.stream).toBe(false);
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages.at(-1)).toMatchObject({ role: 'user' });
    expect(body.messages.at(-1)?.content).toContain('What is the capital of France?');
    expect(body.format).toBeUndefined();
  });

  it('streams a program run: Ax asks for a stream and parses the NDJSON deltas', async () => {
    const { ai, server } = await ollamaAnswering(ndjson(ollamaFixture('chat-answer-paris.ndjson')));
    const events = [];
    for await (const event of predict(capital).stream(
      { question: 'What is the capital of France?' },
      { ai },
    )) {
      events.push(event);
    }
    const final = events.at(-1);
    expect(final?.type === 'final' ? final.result.outputs : undefined).toEqual({ answer: 'Paris' });
    expect(events.some((e) => e.type === 'partial')).toBe(true);
    expect(server.bodyOf(0).stream).toBe(true);
  });

  it('keeps the signet code of a provider failure through a program run', async () => {
    const { ai } = await ollamaAnswering(json(ollamaFixture('error-model-not-found.json'), 404));
    const error = await predict(capital)
      .run({ question: 'What is the capital of France?' }, { ai })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(SignetError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SIGNET_MODEL_NOT_FOUND' });
  });

  it('passes the output JSON Schema of a structured program as format (constrained decoding)', async () => {
    const { ai, server } = await ollamaAnswering(json(ollamaFixture('chat-structured-city.json')));
    const signature = f()
      .input('question', f.string())
      .output('city', f.object({ name: f.string(), country: f.string() }))
      .build();
    const gen = new AxGen(signature);
    const output = await gen.forward(ai, { question: 'Which city is the capital of France?' });
    expect(output).toEqual({ city: { name: 'Paris', country: 'France' } });
    const format = server.bodyOf(0).format as {
      type: string;
      properties: Record<string, unknown>;
    };
    expect(format.type).toBe('object');
    expect(Object.keys(format.properties)).toEqual(['city']);
  });

  it("lets a call weaken the schema to plain JSON with Ax's structuredOutputMode", async () => {
    const { ai, server } = await ollamaAnswering(json(ollamaFixture('chat-structured-city.json')));
    const signature = f()
      .input('question', f.string())
      .output('city', f.object({ name: f.string(), country: f.string() }))
      .build();
    await new AxGen(signature).forward(
      ai,
      { question: 'Which city is the capital of France?' },
      { structuredOutputMode: 'json_object' },
    );
    expect(server.bodyOf(0).format).toBe('json');
  });
});
