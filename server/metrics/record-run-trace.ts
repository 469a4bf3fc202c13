import type { Trace } from '../../src/index.ts';
import type { ServerMetrics } from './server-metrics.ts';

/** One try of a routed call, read back from a trace step's route line. */
interface RouteTry {
  readonly deployment: string;
  readonly reason: string;
}

/**
 * Records what only the run trace knows: re-asks after invalid output (`trace.retries`), and, when the
 * provider is a router, its upstream retries and fallbacks (each model call's `route`, e.g.
 * `primary:timeout → primary:timeout → backup:ok`: a repeat of one deployment is a retry, a change of
 * deployment a fallback).
 */
export function recordRunTrace(
  metrics: ServerMetrics,
  trace: Trace,
  labels: { readonly provider: string; readonly model: string },
): void {
  if (trace.retries > 0) metrics.retries.inc({ ...labels, kind: 'reask' }, trace.retries);
  for (const step of trace.steps) {
    if (step.type !== 'llm' || step.route === undefined) continue;
    const tries = parseRoute(step.route);
    for (let i = 1; i < tries.length; i++) {
      const before = tries[i - 1] as RouteTry;
      const after = tries[i] as RouteTry;
      if (before.deployment === after.deployment) metrics.retries.inc({ ...labels, kind: 'upstream' });
      else metrics.fallbacks.inc({ from_deployment: before.deployment, to_deployment: after.deployment });
    }
  }
}

/** The tries of a route line, skipped deployments left out. */
export function parseRoute(route: string): RouteTry[] {
  const [line = ''] = route.split(' ✗ ');
  return line
    .split(' → ')
    .map((part) => {
      const colon = part.lastIndexOf(':');
      return { deployment: part.slice(0, colon).trim(), reason: part.slice(colon + 1).trim() };
    })
    .filter((t) => t.deployment !== '' && t.reason !== '' && !t.reason.startsWith('skipped('));
}
