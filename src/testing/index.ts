export * from './fake-upstream/index.ts';
export {
  createScriptedProvider,
  type ScriptedProvider,
  type ScriptedProviderOptions,
} from './scripted-provider.ts';
export type { RecordedCall, ScriptedReply, ScriptedToolCall, ScriptRule } from './scripted-reply.ts';
export * from './tiny-models/index.ts';
export * from './tokenizers/index.ts';
