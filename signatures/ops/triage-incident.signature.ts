import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** First-pass incident triage for on-call: severity, likely cause, next actions. */
export const triageIncident = defineSignature({
  name: 'triage-incident',
  version: '1.0.0',
  description: 'Triage an alert: severity, suspected cause, affected services and the next actions to take.',
  instructions:
    'Assess the alert and logs as an experienced SRE. sev1: customer-facing outage or data loss. sev2: ' +
    'major degradation or a core feature down. sev3: partial or internal impact. sev4: no user impact yet. ' +
    'Name the most likely cause and say how sure you are in words; base it on the evidence, not guesses. ' +
    'Next actions are concrete, safe, and ordered (diagnose before changing anything). Page the on-call ' +
    'engineer for sev1 and sev2.',
  tags: ['ops', 'incident', 'classification'],
  inputs: z.object({
    alertSummary: z.string().describe('The alert title and message as fired by monitoring'),
    recentLogs: z.string().optional().describe('Relevant log lines or metrics around the alert time'),
    recentChanges: z
      .array(z.string().describe('One deploy or config change, with its time'))
      .optional()
      .describe('Changes shipped shortly before the alert'),
  }),
  outputs: z.object({
    severity: z.enum(['sev1', 'sev2', 'sev3', 'sev4']).describe('Incident severity'),
    suspectedCause: z.string().describe('The most likely cause and how confident the assessment is'),
    affectedServices: z.array(z.string()).describe('Services that are impacted, most affected first'),
    nextActions: z.array(z.string().describe('One concrete action')).describe('What to do next, in order'),
    pageOnCall: z.boolean().describe('Whether to page the on-call engineer now'),
  }),
  examples: [
    {
      inputs: {
        alertSummary: 'checkout-api 5xx rate 38% (threshold 2%) for 10 minutes',
        recentLogs: 'ERROR pool exhausted: timeout acquiring connection (db-primary) x 4211',
        recentChanges: ['14:02 deployed checkout-api v3.18.0 (raised worker count 8 -> 32)'],
      },
      outputs: {
        severity: 'sev1',
        suspectedCause:
          'Likely database connection pool exhaustion after v3.18.0 quadrupled workers; high confidence given the pool errors.',
        affectedServices: ['checkout-api', 'db-primary'],
        nextActions: [
          'Roll back checkout-api to v3.17.x',
          'Confirm the 5xx rate and pool errors drop',
          'Size the connection pool for the new worker count before redeploying',
        ],
        pageOnCall: true,
      },
    },
    {
      inputs: { alertSummary: 'disk usage 81% on build-runner-3 (warning at 80%)' },
      outputs: {
        severity: 'sev4',
        suspectedCause: 'Build cache growth on one runner; low urgency, no user impact.',
        affectedServices: ['build-runner-3'],
        nextActions: ['Prune old build caches on build-runner-3', 'Check the cache retention job ran'],
        pageOnCall: false,
      },
    },
  ],
});
