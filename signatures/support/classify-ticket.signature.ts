import { defineSignature } from '../../src/index.ts';

/** Support-ticket routing: a fixed category enum, a priority enum and a hand-off flag. */
export const classifyTicket = defineSignature({
  name: 'classify-ticket',
  version: '1.0.0',
  description: 'Route a support ticket to a category and priority, and flag tickets a human must handle.',
  instructions:
    'Classify the ticket by what the customer needs, not by the words they use. billing: charges, ' +
    'invoices, refunds, plans. technical: errors, outages, broken features. account: login, passwords, ' +
    'access, profile. feature-request: asks for something the product does not do. how-to: asks how to do ' +
    'something it does. other: anything else. Priority is urgent only when the customer cannot work or ' +
    'money is at risk. Flag for a human any legal threat, security issue or request to cancel.',
  tags: ['classification', 'support', 'routing'],
  signature: `ticketText:string "The customer's message, subject line first",
    customerPlan?:string "The customer's plan, e.g. free, pro, enterprise" ->
    ticketCategory:class "billing, technical, account, feature-request, how-to, other" "What the customer needs",
    ticketPriority:class "low, normal, high, urgent" "How fast support should respond",
    needsHuman:boolean "True when an agent must handle the ticket: legal threats, security issues, cancellations",
    routingReason:string(max 200) "One sentence explaining the category and priority"`,
  examples: [
    {
      inputs: {
        ticketText:
          'Charged twice this month\nI was billed $49 twice on May 3. Please refund the duplicate charge.',
        customerPlan: 'pro',
      },
      outputs: {
        ticketCategory: 'billing',
        ticketPriority: 'high',
        needsHuman: false,
        routingReason: 'A duplicate charge needing a refund is billing, and money is owed to the customer.',
      },
    },
    {
      inputs: {
        ticketText:
          'Cannot log in since the update\nNone of our 40 agents can sign in; SSO returns error 500. We are ' +
          'losing sales. Fix this today or we cancel.',
        customerPlan: 'enterprise',
      },
      outputs: {
        ticketCategory: 'account',
        ticketPriority: 'urgent',
        needsHuman: true,
        routingReason:
          'A whole team is locked out of sign-in, work is blocked, and the customer threatens to cancel.',
      },
    },
  ],
});
