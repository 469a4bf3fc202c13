import type { AxAIService } from '@ax-llm/ax';
import type { ProviderCapabilities } from './provider-capabilities.ts';

/** Result of a provider health check. */
export interface ProviderHealth {
  /** Whether the provider can serve requests now. */
  readonly ok: boolean;
  /** Round-trip time of the check in ms, when a call was made. */
  readonly latencyMs?: number;
  /** What is wrong and how to fix it, when not ok. */
  readonly message?: string;
}

/**
 * The provider contract: an Ax service (so every Ax program runs on it) that declares its capabilities
 * and can report its health. Providers only translate between Ax and their backend; retries, breakers
 * and fallbacks belong to the router.
 */
export interface SignetProvider extends AxAIService {
  /** What the provider can do. */
  readonly capabilities: ProviderCapabilities;
  /** A cheap check that the backend answers (e.g. list models); never throws. */
  health(signal?: AbortSignal): Promise<ProviderHealth>;
  /** Releases models, sockets and timers. */
  close?(): Promise<void>;
}
