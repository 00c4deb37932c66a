import { DDoSProtection, OperationFailed, RateLimitExceeded } from 'ccxt';
import type { Clock } from '../core/clock';

/**
 * How hard to insist on a failing exchange request. ccxt itself retries nothing (its maxRetriesOnFailure
 * is 0) and ignores Retry-After, so this is the only retry layer.
 */
export interface RetryPolicy {
  /** Attempts after the first one. */
  maxRetries: number;
  /** Wait before the first retry; it doubles with each further retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Longest Retry-After honoured. A longer one (an IP ban after ignoring 429s lasts minutes to days) fails
   * at once: better told than a process silently stalled for hours.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

export interface RetryNotice {
  /** 1 for the first retry. */
  retry: number;
  of: number;
  delayMs: number;
  /** True when the wait is what the exchange asked for in Retry-After. */
  retryAfter: boolean;
  error: Error;
}

export interface RetryContext {
  clock: Clock;
  policy: RetryPolicy;
  /** The Retry-After header of the response that just failed, if the exchange sent one. */
  retryAfterHeader?: () => string | undefined;
  onRetry?: (notice: RetryNotice) => void;
}

/** The error that ended the retries, and how many attempts were made. */
export class RetriesExhausted extends Error {
  constructor(
    readonly lastError: Error,
    readonly attempts: number,
    reason: string,
  ) {
    super(`${reason}: ${lastError.name}: ${lastError.message}`);
    this.name = 'RetriesExhausted';
  }
}

/**
 * Runs `work`, retrying what may pass on a second try: ccxt's OperationFailed family (network errors,
 * timeouts, 5xx, 429/418, Binance's "unknown error"). A 429 or 418 waits for the Retry-After the exchange
 * sent; everything else backs off exponentially. Other errors (bad symbol, bad request) fail at once,
 * unchanged; a retryable one that outlasts the policy becomes a RetriesExhausted.
 */
export async function withRetries<T>(work: () => Promise<T>, context: RetryContext): Promise<T> {
  const { policy } = context;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof OperationFailed)) throw err;
      if (attempt > policy.maxRetries) {
        throw new RetriesExhausted(err, attempt, `gave up after ${attempt} attempts`);
      }
      const asked = err instanceof DDoSProtection || err instanceof RateLimitExceeded ? retryAfterMs(context) : undefined;
      if (asked !== undefined && asked > policy.maxRetryAfterMs) {
        throw new RetriesExhausted(err, attempt, `the exchange asks to wait ${Math.ceil(asked / 1000)} s (Retry-After), longer than the ${policy.maxRetryAfterMs / 1000} s we wait`);
      }
      const delayMs = asked ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      context.onRetry?.({ retry: attempt, of: policy.maxRetries, delayMs, retryAfter: asked !== undefined, error: err });
      await sleep(context.clock, delayMs);
    }
  }
}

/** Retry-After in ms: delta-seconds, or an HTTP date (RFC 9110); undefined when absent or unreadable. */
function retryAfterMs(context: RetryContext): number | undefined {
  const value = context.retryAfterHeader?.()?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - context.clock.now()) : undefined;
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
