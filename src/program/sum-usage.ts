import type { Usage } from './program-types.ts';

/** Token counts of several runs or steps, added up. */
export function sumUsage(usages: readonly Usage[]): Usage {
  let promptTokens = 0;
  let completionTokens = 0;
  let totalTokens = 0;
  for (const usage of usages) {
    promptTokens += usage.promptTokens;
    completionTokens += usage.completionTokens;
    totalTokens += usage.totalTokens;
  }
  return { promptTokens, completionTokens, totalTokens };
}
