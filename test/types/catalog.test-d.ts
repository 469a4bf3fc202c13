import { expectTypeOf, test } from 'vitest';
import { answerQuestion, classifyTicket, extractEntities, planSteps } from '../../signatures/index.ts';

test('a DSL catalog signature infers its output type from the DSL string', () => {
  expectTypeOf(answerQuestion.$output).toEqualTypeOf<{ answer: string; confidence: number }>();
  expectTypeOf(answerQuestion.$input).toEqualTypeOf<{ question: string; background?: string }>();
  expectTypeOf(classifyTicket.$output.ticketCategory).toEqualTypeOf<
    'billing' | 'technical' | 'account' | 'feature-request' | 'how-to' | 'other'
  >();
});

test('a zod catalog signature infers nested objects, enums and optional fields', () => {
  expectTypeOf(extractEntities.$output).toEqualTypeOf<{
    entities: {
      name: string;
      kind: 'person' | 'organization' | 'location' | 'product' | 'event';
      mentions?: string[] | undefined;
    }[];
  }>();
  expectTypeOf(planSteps.$output).toEqualTypeOf<{
    steps: { title: string; detail: string; dependsOn: number[] }[];
  }>();
});
