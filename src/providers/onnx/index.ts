export { convertToOnnxMessages } from './convert-to-onnx-messages.ts';
export type { IntraOpThreads } from './intra-op-threads.ts';
export {
  estimateModelBytes,
  listModelDtypes,
  type ResolvedModelRef,
  resolveModelRef,
} from './model-files.ts';
export { createOnnxEngine, type OnnxEngine } from './onnx-engine.ts';
export type {
  OnnxDecodingLoop,
  OnnxEngineOptions,
  OnnxEngineWarning,
  OnnxLoadOptions,
  OnnxModelInfo,
  OnnxTask,
} from './onnx-engine-options.ts';
export type {
  OnnxChatMessage,
  OnnxEmbedRequest,
  OnnxFinishReason,
  OnnxGenerateRequest,
  OnnxGenerateResult,
} from './onnx-generate-request.ts';
export { createOnnxProvider, type OnnxProviderOptions } from './onnx-provider.ts';
export { createRequestQueue, type RequestQueue, type RequestQueueOptions } from './request-queue.ts';
export { type OnnxWorkers, type WorkerCountInputs, workerCountFor } from './worker-count.ts';
export { createWorkerOnnxEngine } from './worker-engine.ts';
