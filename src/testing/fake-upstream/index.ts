export { FAKE_EMBEDDING_DIM, fakeEmbedding } from './fake-embedding.ts';
export { DEFAULT_FAKE_REPLY, startFakeUpstream } from './fake-upstream.ts';
export type {
  FakeUpstream,
  FakeUpstreamKind,
  FakeUpstreamOptions,
  FakeUpstreamStats,
  FakeUsage,
  UpstreamRequest,
} from './fake-upstream-types.ts';
export { createFaultPicker, type FaultPicker, type FaultPlan, type UpstreamFault } from './upstream-fault.ts';
