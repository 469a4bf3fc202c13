export { defineProvider, type ProviderImplementation } from './define-provider.ts';
export { DelegatingService } from './delegating-service.ts';
export type { ProviderCapabilities, ProviderDevice, ProviderRuntime } from './provider-capabilities.ts';
export { parseRetryAfter, providerError, type UpstreamFailure } from './provider-error.ts';
export { createServiceMetrics, type ServiceMetrics } from './service-metrics.ts';
export type { ProviderHealth, SignetProvider } from './signet-provider.ts';
export {
  outputSchemaOf,
  type SignetCallOptions,
  type TypedDecodingOption,
  typedDecodingOf,
} from './typed-decoding-option.ts';
