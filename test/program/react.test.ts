import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSignature, defineTool, react, SignetError } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const question = defineSignature({
  name: 'weather-answer',
  version: '1.0.0',
  signature: 'question:string -> answer:string',
});

function weatherTool(seen: string[]) {
  return defineTool({
    name: 'lookupWeather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string().min(2), unit: z.enum(['c', 'f']).default('c') }),
    handler: ({ city, unit }) => {
      seen.push(`${city}/${unit}`);
      return { city, sky: 'sunny', temperature: unit === 'c' ? 21 : 70 };
    },
  });
}

describe('react', () => {
  it('calls tools with validated arguments and answers with their results', async () => {
    const seen: string[] = [];
    const ai = createScriptedProvider({
      replies: [
        { toolCalls: [{ name: 'lookupWeather', args: { city: 'Paris' } }] },
        'Answer: Sunny, 21 C in Paris',
      ],
    });
    const result = await react(question, { tools: [weatherTool(seen)] }).run(
      { question: 'Weather in Paris?' },
      { ai },
    );
    expect(result.outputs.answer).toBe('Sunny, 21 C in Paris');
    expect(seen).toEqual(['Paris/c']);
    expect(ai.calls[0]?.tools).toEqual(['lookupWeather']);
    expect(ai.calls[1]?.messages.at(-1)?.content).toContain('"temperature": 21');
    expect(result.trace.steps.map((s) => s.type)).toEqual(['llm', 'tool', 'llm']);
  });

  it('never runs a tool with invalid arguments; the model is told what was wrong', async () => {
    const seen: string[] = [];
    const ai = createScriptedProvider({
      replies: [
        { toolCalls: [{ name: 'lookupWeather', args: { city: 7 } }] },
        { toolCalls: [{ name: 'lookupWeather', args: { city: 'Oslo', unit: 'f' } }] },
        'Answer: Sunny in Oslo',
      ],
    });
    const result = await react(question, { tools: [weatherTool(seen)] }).run({ question: 'Oslo?' }, { ai });
    expect(seen).toEqual(['Oslo/f']);
    expect(ai.calls[1]?.messages.at(-1)?.content).toMatch(/Invalid arguments for lookupWeather: city/);
    const toolSteps = result.trace.steps.filter((s) => s.type === 'tool');
    expect(toolSteps.map((s) => s.ok)).toEqual([false, true]);
  });

  it('stops at the step limit with SIGNET_STEP_LIMIT', async () => {
    const seen: string[] = [];
    const ai = createScriptedProvider({
      fallback: { toolCalls: [{ name: 'lookupWeather', args: { city: 'Rome' } }] },
    });
    const run = react(question, { tools: [weatherTool(seen)], maxSteps: 3 }).run(
      { question: 'Rome?' },
      { ai },
    );
    await expect(run).rejects.toSatisfy(
      (error) => SignetError.is(error) && error.code === 'SIGNET_STEP_LIMIT',
    );
    expect(ai.calls).toHaveLength(3);
    expect(seen.length).toBeLessThanOrEqual(3);
  });

  it('feeds tool errors back to the model instead of failing the run', async () => {
    const flaky = defineTool({
      name: 'fetchQuote',
      description: 'Stock quote',
      parameters: z.object({ ticker: z.string() }),
      handler: () => {
        throw new Error('quote service down');
      },
    });
    const ai = createScriptedProvider({
      replies: [
        { toolCalls: [{ name: 'fetchQuote', args: { ticker: 'ACME' } }] },
        'Answer: unknown, the quote service is down',
      ],
    });
    const result = await react(question, { tools: [flaky] }).run({ question: 'ACME price?' }, { ai });
    expect(ai.calls[1]?.messages.at(-1)?.content).toContain('quote service down');
    expect(result.outputs.answer).toContain('unknown');
  });

  it('saves its step limit in the program state', () => {
    const program = react(question, { tools: [weatherTool([])], maxSteps: 4 });
    expect(program.state().settings).toEqual({ maxSteps: 4 });
    expect(() => react(question, { tools: [weatherTool([]), weatherTool([])] })).toThrow(/two tools/);
  });
});
