import {
  AxAIServiceAbortedError,
  AxAIServiceNetworkError,
  AxAIServiceStatusError,
  AxAIServiceTimeoutError,
} from '@ax-llm/ax';
import { SignetError } from '../../src/index.ts';
import { providerError } from '../../src/providers/shared/index.ts';

/**
 * What a failed direct `ai.chat()` call means, as a signet error: signet errors keep their code, aborts
 * and timeouts get theirs, and other failures are classified by `providerError` (upstream status
 * decides between rejected, rate limited, unavailable...).
 */
export function mapChatError(error: unknown, provider: string, signal: AbortSignal): SignetError {
  if (SignetError.is(error)) return error;
  if (signal.aborted || error instanceof AxAIServiceAbortedError) {
    return new SignetError('SIGNET_ABORTED', 'the client disconnected', { cause: error });
  }
  if (error instanceof AxAIServiceTimeoutError) {
    return new SignetError(
      'SIGNET_PROVIDER_TIMEOUT',
      `${provider}: the model provider did not answer in time`,
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return providerError({
    provider,
    // No status for a network failure (unavailable); any other unexplained failure reads as a 502.
    status:
      error instanceof AxAIServiceStatusError
        ? error.status
        : error instanceof AxAIServiceNetworkError
          ? undefined
          : 502,
    message,
    cause: error,
  });
}
