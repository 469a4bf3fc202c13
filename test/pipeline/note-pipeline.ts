/** A 5-step pipeline of one signature on a scripted model that echoes its topic: outputs depend on every step. */
import { definePipeline } from '../../src/pipeline/index.ts';
import { predict } from '../../src/program/index.ts';
import { defineSignature } from '../../src/signature/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

export const note = defineSignature({
  name: 'pipeline-note',
  version: '1.0.0',
  signature: 'topic:string -> note:string',
});

/** A model that answers `Note: <topic>` after `delayMs`; `calls` lists the topics it was asked, in order. */
export function echoModel(delayMs = 0, onCall?: (topic: string) => void) {
  const calls: string[] = [];
  const ai = createScriptedProvider({
    rules: [
      {
        when: /Topic:/,
        reply: (call) => {
          const topic = /Topic: (.*)/.exec(call.lastUserMessage)?.[1] ?? '?';
          calls.push(topic);
          onCall?.(topic);
          return { content: `Note: <${topic}>`, delayMs };
        },
      },
    ],
  });
  return { ai, calls };
}

const step = predict(note);

/** outline, then facts and risks at once, then draft, then polish. */
export const notePipeline = definePipeline<{ subject: string }>({ name: 'notes', version: '1.0.0' })
  .step('outline', step, (s) => ({ topic: `outline ${s.input.subject}` }))
  .parallel((branch) => ({
    facts: branch(step, (s) => ({ topic: `facts ${s.outline.note}` })),
    risks: branch(step, (s) => ({ topic: `risks ${s.outline.note}` })),
  }))
  .step('draft', step, (s) => ({ topic: `draft ${s.facts.note} ${s.risks.note}` }))
  .step('polish', step, (s) => ({ topic: `polish ${s.draft.note}` }))
  .returns((s) => ({ text: s.polish.note, outline: s.outline.note }));
