import { defineSignature } from '../../../src/signature/index.ts';

/** The signature every fixture answers: the fixtures reply `Answer: Paris`. */
export const capital = defineSignature({
  name: 'capital',
  version: '1.0.0',
  signature: 'question:string -> answer:string',
});

/** The question the programs ask. */
export const question = { question: 'What is the capital of France?' };

/** Keys used against the fakes, shaped like the real ones so redaction is exercised. */
export const keys = {
  openai: 'sk-test-openai-4f8a2c9e1b7d3a5f6e0c8b2d4a6f1234',
  anthropic: 'sk-ant-test-anthropic-9c1e3a5b7d2f4a6c8e0b1d3f',
  gemini: 'AIzaTestGeminiKey-7b3d5f9a1c2e4b6d8f0a2c4e',
  huggingface: 'hf_testHuggingFaceToken7e9b1d3f5a7c9e1b3d',
  compatible: 'compat-test-key-3a5c7e9b1d3f5a7c',
} as const;

/** An environment with none of the real variables, so a developer's own keys never leak into a test. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...extra };
}
