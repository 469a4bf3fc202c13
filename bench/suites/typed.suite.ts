import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AxChatRequest } from '@ax-llm/ax';
import { classifyTicket } from '../../signatures/index.ts';
import { createOnnxEngine, createOnnxProvider } from '../../src/providers/onnx/index.ts';
import type { SignetCallOptions, SignetProvider } from '../../src/providers/shared/index.ts';
import { generateTinyCausalLM } from '../../src/testing/index.ts';
import { sampleInterleaved } from '../lib/interleaved-sampler.ts';
import type { BenchSuite } from '../lib/suite.ts';

const MAX_TOKENS = 96;
const ON = 'typed decoding on (JSON Schema constraint)';
const OFF = 'typed decoding off (free sampling)';

/**
 * Typed decoding's price in throughput: tokens/s of `provider.chat()` on the tiny generated model with
 * the output constrained to a catalog signature's JSON Schema (`classify-ticket`: enums, a boolean, a
 * bounded string) against the same request sampled freely, interleaved in one run. The constrained
 * side stops when the JSON document is complete; both are measured per generated token.
 */
export const typedSuite: BenchSuite = {
  name: 'typed',
  description: 'tokens/s with the typed-decoding constraint on vs off, same tiny model and request',
  async run(context) {
    const root = await mkdtemp(path.join(tmpdir(), 'signet-bench-typed-'));
    const engine = createOnnxEngine();
    try {
      context.progress(0, 'generating the tiny model');
      const model = path.join(root, 'tiny-lm');
      await generateTinyCausalLM({ dir: model, maxPositions: 2048 });
      const provider = await createOnnxProvider({ engine, model });
      const schema = classifyTicket.jsonSchema().output;
      // Greedy decoding of one prompt: every call of a side generates the same tokens, so tokens per call
      // (averaged over all calls, warm-up included) times measured calls gives the measured tokens.
      const tokens = { [ON]: 0, [OFF]: 0 };
      const calls = { [ON]: 0, [OFF]: 0 };
      const call = (side: typeof ON | typeof OFF) => async () => {
        tokens[side] += await chat(provider, schema, side === OFF, context.signal);
        calls[side]++;
      };
      const [on, off] = await sampleInterleaved({
        variants: [
          { name: ON, prepareBatch: () => call(ON) },
          { name: OFF, prepareBatch: () => call(OFF) },
        ],
        warmupMs: Math.min(1000, Math.max(300, context.durationMs * 0.1)),
        durationMs: context.durationMs,
        batchSize: 4,
        signal: context.signal,
        onProgress: (fraction, phase) => context.progress(fraction, phase),
      });
      if (on === undefined || off === undefined) throw new Error('the sampler lost a variant');
      const perSecond = (side: typeof ON | typeof OFF, wallMs: number, measured: number) =>
        ((tokens[side] / Math.max(1, calls[side])) * measured * 1000) / wallMs;
      return [
        {
          id: 'typed.tokens_per_s',
          label: `${ON}, tokens/s (classify-ticket schema, up to ${MAX_TOKENS} tokens)`,
          series: ON,
          unit: 'tokens/s',
          better: 'higher',
          value: perSecond(ON, on.wallMs, on.samplesUs.length),
          baseline: { label: OFF, value: perSecond(OFF, off.wallMs, off.samplesUs.length) },
          chart: 'bars',
        },
      ];
    } finally {
      await engine.dispose();
      await rm(root, { recursive: true, force: true });
    }
  },
};

async function chat(
  provider: SignetProvider,
  schema: Readonly<Record<string, unknown>>,
  free: boolean,
  signal: AbortSignal,
): Promise<number> {
  const request: AxChatRequest<unknown> = {
    chatPrompt: [
      { role: 'system', content: 'Classify the support ticket. Answer with JSON.' },
      { role: 'user', content: 'I was charged twice this month.' },
    ],
    modelConfig: { maxTokens: MAX_TOKENS, temperature: 0 },
    responseFormat: { type: 'json_schema', schema },
  };
  const options: SignetCallOptions = {
    abortSignal: signal,
    signetOutputSchema: schema,
    ...(free ? { signetTypedDecoding: 'free' as const } : {}),
  };
  const response = await provider.chat(request, options);
  if (response instanceof ReadableStream) throw new Error('the ONNX provider streamed an unstreamed request');
  return response.modelUsage?.tokens?.completionTokens ?? 0;
}
