import { defineSignature } from '../../src/index.ts';

/**
 * Rewrites a draft into a tone and house style. `tone` is a string restricted by a pattern, not a class:
 * Ax accepts class (enum) fields only on the output side.
 */
export const rewriteStyle = defineSignature({
  name: 'rewrite-style',
  version: '1.0.0',
  description: 'Rewrite a draft in a given tone, following an optional house style guide.',
  instructions:
    'Rewrite the draft in the requested tone: formal, friendly, concise, persuasive or plain (plain means ' +
    'simple words and short sentences). Follow every rule in the style guide when one is given. Keep all ' +
    'facts, numbers, names and links; do not add claims. List the main changes you made.',
  tags: ['text', 'rewriting', 'style'],
  signature: `draftText:string "The text to rewrite",
    tone:string(pattern "^(formal|friendly|concise|persuasive|plain)$" "one of: formal, friendly, concise, persuasive, plain") "Tone to write in: formal, friendly, concise, persuasive or plain",
    styleGuide?:string "House style rules to follow, one per line" ->
    rewrittenText:string "The rewritten text, with the same facts as the draft",
    changeNotes:string(item "One change, e.g. 'shortened the greeting'")[] "The main changes made, most significant first"`,
  examples: [
    {
      inputs: {
        draftText: 'hey, the server is gonna be down sat 2-4am for upgrades, sorry!!',
        tone: 'formal',
        styleGuide: 'Use 24-hour times with the timezone.\nNo exclamation marks.',
      },
      outputs: {
        rewrittenText:
          'Please note that the server will be unavailable on Saturday from 02:00 to 04:00 UTC for scheduled upgrades. We apologize for the inconvenience.',
        changeNotes: [
          'formal register',
          'times in 24-hour format with timezone',
          'removed exclamation marks',
        ],
      },
    },
    {
      inputs: {
        draftText:
          'We would like to take this opportunity to inform you that, as of next month, the pricing for the Pro plan will be increasing to $15 per user.',
        tone: 'concise',
      },
      outputs: {
        rewrittenText: 'From next month, the Pro plan costs $15 per user.',
        changeNotes: ['removed the preamble', 'stated the change in one sentence'],
      },
    },
  ],
});
