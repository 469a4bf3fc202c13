import { AxAIServiceAbortedError, AxAIServiceTimeoutError } from '@ax-llm/ax';
import type { Issue } from '../errors/issue.ts';
import { OutputParseError } from '../errors/output-parse-error.ts';
import { SignetError } from '../errors/signet-error.ts';
import type { Signature } from '../signature/signature.ts';
import type { TraceRecorder } from './trace-recorder.ts';

interface RunErrorContext {
  readonly recorder: TraceRecorder;
  readonly signature: Signature;
  readonly signal: AbortSignal | undefined;
  readonly issues?: readonly Issue[];
}

/**
 * Turns whatever a run threw into a signet error with a stable code. Ax wraps failures in its own
 * error types; the cause chain is searched for a signet error first, so provider and tool errors keep
 * their codes.
 */
export function mapRunError(error: unknown, context: RunErrorContext): SignetError {
  const chain = causeChain(error);
  const signet = chain.find(SignetError.is);
  if (signet !== undefined && signet.code !== 'SIGNET_INTERNAL') return signet;
  if (context.signal?.aborted || chain.some((e) => e instanceof AxAIServiceAbortedError || isAbortError(e))) {
    return new SignetError('SIGNET_ABORTED', 'the run was aborted by its caller', { cause: error });
  }
  if (chain.some((e) => e instanceof AxAIServiceTimeoutError)) {
    return new SignetError('SIGNET_PROVIDER_TIMEOUT', 'the model provider did not answer in time', {
      cause: error,
    });
  }
  const llm = context.recorder.steps.filter((step) => step.type === 'llm');
  const stepLimit = chain.find((e) => e instanceof Error && /max steps reached/i.test(e.message));
  if (stepLimit !== undefined) {
    return new SignetError(
      'SIGNET_STEP_LIMIT',
      `${context.signature.id} used all ${llm.length} steps without filling its outputs; raise maxSteps or give the tools clearer descriptions`,
      { cause: error, details: { steps: llm.length } },
    );
  }
  const providerFailed = llm.at(-1)?.ok === false;
  if (providerFailed) {
    return new SignetError('SIGNET_PROVIDER_ERROR', `the model provider failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (context.issues !== undefined || looksLikeOutputError(chain)) {
    const message = lastMessage(chain);
    const issues = context.issues ?? [
      { path: fieldPath(message, context.signature), code: 'invalid_output', message },
    ];
    return new OutputParseError(
      `model output did not match ${context.signature.id} after ${llm.length} attempt(s): ${lastMessage(chain)}`,
      { rawText: context.recorder.lastContent, attempts: llm.length, issues, cause: error },
    );
  }
  return new SignetError(
    'SIGNET_INTERNAL',
    `unexpected error while running ${context.signature.id}: ${messageOf(error)}`,
    {
      cause: error,
    },
  );
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function looksLikeOutputError(chain: readonly unknown[]): boolean {
  return chain.some(
    (e) =>
      e instanceof Error &&
      /(validation|assertion|invalid field|missing required|output does not match|parse|required field|retries|max tokens reached)/i.test(
        `${e.name} ${e.message}`,
      ),
  );
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function lastMessage(chain: readonly unknown[]): string {
  const deepest = chain.at(-1);
  return messageOf(deepest).split('\n')[0] ?? '';
}

/** Ax names fields by title ("Field 'Confidence Score'"); map that back to the field name. */
function fieldPath(message: string, signature: Signature): string[] {
  const title = /Field '([^']+)'/.exec(message)?.[1];
  if (title === undefined) return [];
  const key = title.replace(/\s+/g, '').toLowerCase();
  const field = signature.outputs.find((f) => f.name.toLowerCase() === key);
  return field === undefined ? [] : [field.name];
}
