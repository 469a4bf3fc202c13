/**
 * Cuts a completion into stream pieces the way tokenizers roughly do: a word with its leading
 * whitespace, or one punctuation mark. `"Answer: Paris"` gives `["Answer", ":", " Paris"]`.
 */
export function splitReply(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+$/gu) ?? [];
}
