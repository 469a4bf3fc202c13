import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelSources } from '../../src/models/create-model-sources.ts';
import { resolveModelsConfig } from '../../src/models/index.ts';
import { generateTinyCausalLM } from '../../src/testing/tiny-models/index.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'signet-model-sources-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function onnxIds(env: Record<string, string>): Promise<string[]> {
  const config = resolveModelsConfig(
    [{ where: 'test', data: { onnx: { enabled: true, dirs: [join(root, 'models')] } } }],
    {
      env: {},
    },
  );
  const source = createModelSources({ config, env }).find((s) => s.id === 'onnx');
  return ((await source?.list(new AbortController().signal)) ?? []).map((m) => m.id);
}

describe('createModelSources', () => {
  it('lists the SIGNET_LOCAL_MODEL folder with the configured ONNX folders, so roles can choose it', async () => {
    const demo = await generateTinyCausalLM({ dir: join(root, 'elsewhere', 'demo-lm') });
    expect(await onnxIds({})).toEqual([]);
    const ids = await onnxIds({ SIGNET_LOCAL_MODEL: demo.dir });
    expect(ids).toHaveLength(1);
    expect(ids[0]).toContain('demo-lm');
  });
});
