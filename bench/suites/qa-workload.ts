// The scripted provider is imported from its own file rather than the package index so that the
// raw-Ax side of the memory suite can use it without loading the rest of signet.
import { createScriptedProvider, type ScriptedProvider } from '../../src/testing/scripted-provider.ts';

/**
 * The workload the suites share: one question, one zero-latency scripted reply, so a call's time is all
 * framework overhead. signet and raw Ax get the same provider type and the same signature.
 */
export const QA_SIGNATURE = 'question:string -> answer:string, confidence:number';

/** The inputs of every call. */
export const qaInputs = { question: 'What is the capital of France?' } as const;

/** What the scripted model answers, in Ax's field format. */
export const QA_REPLY = 'Answer: Paris\nConfidence: 0.9';

/** Metadata of the signet signature built from `QA_SIGNATURE`. */
export const QA_SIGNATURE_META = { name: 'bench-qa', version: '1.0.0' } as const;

/**
 * A fresh zero-latency provider. It records every call, so callers replace it every batch to keep the
 * recording from growing into the measurement.
 */
export function createQaProvider(): ScriptedProvider {
  return createScriptedProvider({ fallback: QA_REPLY });
}
