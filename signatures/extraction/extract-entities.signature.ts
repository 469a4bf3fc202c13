import { z } from 'zod';
import { defineSignature } from '../../src/index.ts';

/** Named-entity extraction into typed objects, one per distinct entity. */
export const extractEntities = defineSignature({
  name: 'extract-entities',
  version: '1.0.0',
  description: 'Extract the named entities in a text as typed objects, one per distinct entity.',
  instructions:
    'Find every named entity in the text: people, organizations, locations, products and events. Merge ' +
    'different mentions of the same entity into one object under its most complete name, and list the ' +
    'other surface forms as mentions. Only extract what the text names; do not infer entities. Keep the ' +
    'order of first appearance.',
  tags: ['extraction', 'ner'],
  inputs: z.object({
    sourceText: z.string().describe('The text to extract entities from'),
  }),
  outputs: z.object({
    entities: z
      .array(
        z
          .object({
            name: z.string().describe('Canonical name: the most complete form used in the text'),
            kind: z.enum(['person', 'organization', 'location', 'product', 'event']).describe('Entity type'),
            mentions: z
              .array(z.string())
              .optional()
              .describe('Other surface forms of this entity in the text (aliases, short names)'),
          })
          .describe('One distinct entity'),
      )
      .describe('Entities in order of first appearance'),
  }),
  examples: [
    {
      inputs: {
        sourceText:
          'Ada Lovelace worked with Charles Babbage in London on the Analytical Engine. Lovelace is often ' +
          'called the first programmer.',
      },
      outputs: {
        entities: [
          { name: 'Ada Lovelace', kind: 'person', mentions: ['Lovelace'] },
          { name: 'Charles Babbage', kind: 'person' },
          { name: 'London', kind: 'location' },
          { name: 'Analytical Engine', kind: 'product' },
        ],
      },
    },
    {
      inputs: {
        sourceText: 'Acme Corp. will demo the Roadrunner X2 at CES 2025 in Las Vegas, Acme said on Monday.',
      },
      outputs: {
        entities: [
          { name: 'Acme Corp.', kind: 'organization', mentions: ['Acme'] },
          { name: 'Roadrunner X2', kind: 'product' },
          { name: 'CES 2025', kind: 'event' },
          { name: 'Las Vegas', kind: 'location' },
        ],
      },
    },
  ],
});
