export {
  classifyFailure,
  countsAgainstDeployment,
  type FailureContext,
  type FailureDecision,
  failureCode,
} from './classify-failure.ts';
export { createRouter, type RouterOptions } from './create-router.ts';
export { ROUTER_METADATA_KEY } from './decorate-response.ts';
export type { Deployment, DeploymentConfig } from './deployment.ts';
export type { DeploymentHealth } from './deployment-health.ts';
export {
  type BreakerOptions,
  type BulkheadOptions,
  type DeploymentPolicy,
  type DeploymentPolicyOptions,
  defaultDeploymentPolicy,
  type RetryOptions,
  resolveDeploymentPolicy,
} from './deployment-policy.ts';
export { type RouteReason, reasonOf } from './route-reason.ts';
export { type AttemptOutcome, describeRoute, type RouteAttempt, type RouteRecord } from './route-record.ts';
export type { RecordingRouter, Router } from './router.ts';
export type {
  AttemptEvent,
  BreakerEvent,
  BreakerState,
  FailureEvent,
  FallbackEvent,
  ListenOptions,
  RetryEvent,
  RouterEvent,
  RouterListener,
  RouterOperation,
  SuccessEvent,
} from './router-events.ts';
export {
  type Escalation,
  type EscalationOptions,
  type EscalationResult,
  runWithEscalation,
} from './run-with-escalation.ts';
export {
  createStreamGuard,
  type StreamGuard,
  type StreamGuardOptions,
  type StreamTimers,
} from './stream-guard.ts';
