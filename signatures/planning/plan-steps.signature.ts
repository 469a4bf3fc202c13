import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** Task decomposition into an ordered plan whose steps form a dependency graph. */
export const planSteps = defineSignature({
  name: 'plan-steps',
  version: '1.0.0',
  description: 'Break a goal into ordered, concrete steps with dependencies between them.',
  instructions:
    'Break the goal into concrete steps a competent person or agent can carry out. Each step has a short ' +
    'imperative title and a detail that says how to do it and what done looks like. dependsOn lists the ' +
    '0-based indexes of earlier steps that must finish first; a step never depends on itself or a later ' +
    'step. Respect the constraints. Use no more than maxSteps steps when it is given.',
  tags: ['planning', 'agents', 'decomposition'],
  inputs: z.object({
    goal: z.string().describe('What should be achieved'),
    constraints: z
      .array(z.string().describe('One constraint'))
      .optional()
      .describe('Limits the plan must respect: budget, deadlines, tools, policies'),
    maxSteps: z.int().min(1).max(30).optional().describe('Largest number of steps the plan may have'),
  }),
  outputs: z.object({
    steps: z
      .array(
        z
          .object({
            title: z.string().max(80).describe('Short imperative title'),
            detail: z.string().describe('How to carry out the step and what done looks like'),
            dependsOn: z
              .array(z.int().min(0))
              .describe('0-based indexes of earlier steps that must be done first; empty if none'),
          })
          .describe('One step of the plan'),
      )
      .describe('The plan, in an order that respects every dependency'),
  }),
  examples: [
    {
      inputs: {
        goal: 'Move the marketing site from a VPS to static hosting on a CDN',
        constraints: ['no downtime', 'keep existing URLs'],
        maxSteps: 4,
      },
      outputs: {
        steps: [
          {
            title: 'Export the site as static files',
            detail: 'Build the site with the static generator and check every page renders locally.',
            dependsOn: [],
          },
          {
            title: 'Map redirects for existing URLs',
            detail: 'Crawl the live site and write a redirect rule for every URL the static build changes.',
            dependsOn: [0],
          },
          {
            title: 'Deploy to the CDN',
            detail: 'Upload the build and redirect rules, then test them on the CDN preview domain.',
            dependsOn: [0, 1],
          },
          {
            title: 'Switch DNS',
            detail:
              'Lower the TTL a day ahead, point DNS to the CDN, and keep the VPS up until traffic drains.',
            dependsOn: [2],
          },
        ],
      },
    },
    {
      inputs: { goal: 'Rotate the production database password' },
      outputs: {
        steps: [
          {
            title: 'Create the new credential',
            detail: 'Add a second database user or password so old and new both work during the switch.',
            dependsOn: [],
          },
          {
            title: 'Update the secret store',
            detail: 'Store the new password in the secret manager and roll the services that read it.',
            dependsOn: [0],
          },
          {
            title: 'Revoke the old password',
            detail: 'Once no connections use the old credential, revoke it and confirm logins fail with it.',
            dependsOn: [1],
          },
        ],
      },
    },
  ],
});
