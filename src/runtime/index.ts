export {
  type DiscoveredDeployments,
  type DiscoveryOptions,
  discoverDeployments,
} from './discover-deployments.ts';
