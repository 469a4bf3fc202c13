import { describe, expect, it } from 'vitest';
import { predict } from '../../../src/program/index.ts';
import {
  type CloudProviderKind,
  cloudProviderKinds,
  cloudProviderStatus,
  createCloudProvider,
} from '../../../src/providers/cloud/index.ts';
import { capital, question } from './cloud-test-kit.ts';

/**
 * Opt-in checks against the real APIs: SIGNET_LIVE_TESTS=1 plus the kind's key. They spend a few tokens.
 * Models can be changed with SIGNET_LIVE_<KIND>_MODEL (e.g. SIGNET_LIVE_OPENAI_MODEL).
 */
const defaultModels: Record<CloudProviderKind, string | undefined> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  gemini: 'gemini-2.5-flash',
  huggingface: 'meta-llama/Llama-3.1-8B-Instruct',
  'openai-compatible': undefined,
};

function modelVariable(kind: CloudProviderKind): string {
  return `SIGNET_LIVE_${kind.toUpperCase().replace('-', '_')}_MODEL`;
}

function modelFor(kind: CloudProviderKind): string | undefined {
  return process.env[modelVariable(kind)] ?? defaultModels[kind];
}

function skipReason(kind: CloudProviderKind): string | undefined {
  if (process.env.SIGNET_LIVE_TESTS !== '1') return 'set SIGNET_LIVE_TESTS=1 to run live cloud tests';
  const status = cloudProviderStatus(process.env).find((s) => s.kind === kind);
  if (status?.available !== true) return status?.hint ?? 'not configured';
  if (modelFor(kind) === undefined) return `set ${modelVariable(kind)}`;
  return undefined;
}

const reasons = cloudProviderKinds.map((kind) => [kind, skipReason(kind)] as const);
const skipped = reasons.filter(([, reason]) => reason !== undefined);
if (skipped.length > 0) {
  console.info(
    `live cloud tests skipped: ${skipped.map(([kind, reason]) => `${kind} (${reason})`).join(', ')}`,
  );
}

describe('live cloud providers', () => {
  for (const [kind, reason] of reasons) {
    const suffix = reason === undefined ? '' : ` [skipped: ${reason}]`;

    it.skipIf(reason !== undefined)(
      `${kind}: a predict program answers through the real API${suffix}`,
      async () => {
        const ai = createCloudProvider({ kind, model: modelFor(kind) ?? '' });
        const result = await predict(capital).run(question, { ai });
        expect(result.outputs.answer).toMatch(/paris/i);
      },
      60_000,
    );

    it.skipIf(reason !== undefined)(
      `${kind}: health() lists models with the configured key${suffix}`,
      async () => {
        const ai = createCloudProvider({ kind, model: modelFor(kind) ?? '' });
        const health = await ai.health();
        expect(health, health.message).toMatchObject({ ok: true });
      },
      30_000,
    );
  }
});
