/**
 * `npm run demo`: the whole service offline. Generates a tiny local ONNX model (random weights, so its
 * answers are meaningless — this proves the path, not the quality), makes it the default provider,
 * and starts the server exactly as `npm start` does.
 */
import { resolve } from 'node:path';
import { startServer } from '../server/start.ts';
import { generateTinyCausalLM } from '../src/testing/index.ts';

const dir = resolve(process.env.SIGNET_DEMO_MODEL_DIR ?? '.cache/tiny-models/demo-lm');
// Ax's prompts run to ~1-2k byte-level tokens, so the demo model gets a context that fits them.
const model = await generateTinyCausalLM({ dir, maxPositions: 4096 });
process.stderr.write(
  `signet demo: local model ${model.dir} (${model.skipped ? 'reused' : `generated in ${Math.round(model.durationMs)} ms`}).\n` +
    'signet demo: the model has random weights; its outputs are meaningless but typed. Use `npm start` with a real model for real answers.\n',
);
await startServer({
  ...process.env,
  SIGNET_LOCAL_MODEL: model.dir,
  SIGNET_OLLAMA: process.env.SIGNET_OLLAMA ?? 'off',
});
