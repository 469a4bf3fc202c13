/**
 * The HTTP workload the server suites share: one execute request of the catalog's `answer-question`
 * signature, answered by a scripted model with a fixed reply (optionally after a fixed delay).
 */

/** The route under test. */
export const EXECUTE_PATH = '/api/v1/dspy/execute';

/** Its request body. */
export const EXECUTE_BODY = JSON.stringify({
  signature: 'answer-question',
  inputs: { question: 'What is the capital of France?' },
});

/** What the scripted model answers, in Ax's field format (answer-question's outputs: answer, confidence). */
export const ANSWER_REPLY = 'Answer: Paris\nConfidence: 0.9';

/** Keep-alive connections of the closed-loop (max throughput) load. */
export const LOAD_CONNECTIONS = 64;

/**
 * Requests a server serves before it is measured. signet's time per request settles after a few
 * thousand (JIT), so 3,000 from 2 s of `--duration` up (quick runs included); shorter runs (tests of the
 * harness) warm up less, never below 300.
 */
export function serverWarmupRequests(durationMs: number): number {
  return Math.round(Math.min(3000, Math.max(300, durationMs * 1.5)));
}
