import { createHash } from 'node:crypto';

/** The five steps of `research-answer`, as the model sees them (by the output fields it is asked). */
export type ResearchStep = 'brief' | 'cited' | 'direct' | 'review' | 'followUp';

/** One model call, as the fake upstream saw it. */
export interface ModelCall {
  readonly step: ResearchStep;
  /** The run's tag, found in its question (`[run-7]`). */
  readonly tag: string;
  /** When the call arrived, ms since the epoch. */
  readonly at: number;
}

const STEP_BY_FIELDS: Record<string, ResearchStep> = {
  'keyPoints,summary': 'brief',
  'answer,citedPassageIndexes,isAnswerable': 'cited',
  'answer,confidence': 'direct',
  'score,strengths,verdict,weaknesses': 'review',
  searchQueries: 'followUp',
};

interface ChatBody {
  readonly messages?: readonly { readonly role: string; readonly content: unknown }[];
}

const text = (content: unknown) =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (part as { text?: string }).text ?? '').join('')
      : '';

/**
 * Answers the model calls of `research-answer` the way a model would, in Ax's `field: value` format:
 * which step is asked is read from the output fields of the system prompt, and every answer is a pure
 * function of the prompt (so an interrupted run and an uninterrupted one must end with equal outputs).
 * `onCall` sees each call with its step and its run's tag.
 */
export function researchAnswerReply(
  onCall: (call: ModelCall) => void,
): (request: { json: unknown }) => string {
  return (request) => {
    const messages = (request.json as ChatBody).messages ?? [];
    const system = text(messages.find((m) => m.role === 'system')?.content);
    const user = text(messages.filter((m) => m.role === 'user').at(-1)?.content);
    const fields = [...system.matchAll(/wire key: `(\w+)`/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
    const step = STEP_BY_FIELDS[fields];
    if (step === undefined) throw new Error(`not a research-answer step: output fields ${fields}`);
    const tag = /\[(run-\d+)\]/.exec(user)?.[1] ?? 'untagged';
    onCall({ step, tag, at: Date.now() });
    const h = createHash('sha256').update(user).digest('hex').slice(0, 10);
    switch (step) {
      case 'brief':
        return `summary: Brief ${h} of the passages.\nkeyPoints: ["point ${h.slice(0, 4)}", "point ${h.slice(4, 8)}"]`;
      case 'cited':
        return `answer: Cited answer ${h}.\ncitedPassageIndexes: [0]\nisAnswerable: true`;
      case 'direct':
        return `answer: Direct answer ${h}.\nconfidence: 0.8`;
      case 'review':
        return `score: ${Number.parseInt(h.slice(0, 2), 16) % 11}\nstrengths: ["cites passage 0"]\nweaknesses: ["misses detail ${h.slice(0, 4)}"]\nverdict: revise`;
      case 'followUp':
        return `searchQueries: ["query ${h.slice(0, 5)}", "query ${h.slice(5, 10)}"]`;
    }
  };
}
