export { type CloudHealthInput, checkCloudHealth } from './check-cloud-health.ts';
export {
  type CloudCapabilityInput,
  cloudCapabilities,
  DEFAULT_CLOUD_CONCURRENCY,
} from './cloud-capabilities.ts';
export {
  type CloudAuthStyle,
  type CloudKindSpec,
  type CloudProviderKind,
  cloudKindSpecs,
  cloudProviderKinds,
} from './cloud-kind-specs.ts';
export { CloudProvider, type CloudProviderDescription } from './cloud-provider.ts';
export { type CloudKindStatus, cloudProviderStatus } from './cloud-provider-status.ts';
export { type CloudProviderOptions, createCloudProvider } from './create-cloud-provider.ts';
export { type CloudErrorContext, translateCloudError } from './translate-cloud-error.ts';
