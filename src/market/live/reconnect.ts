import { DDoSProtection, ExchangeClosedByUser, OperationFailed, RateLimitExceeded } from 'ccxt';
import { RetriesExhausted } from '../../exchange/with-retries';

export interface ReconnectPolicy {
  /** Wait before the first reconnect; it doubles with each further failure in a row. */
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseMs: 500, capMs: 30_000 };

/** The wait before reconnect `attempt` (1-based). No jitter: one process, one connection, and tests can assert it. */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

export type ErrorVerdict = 'retry' | 'fatal' | 'closed';

/**
 * What a failed watch or poll means for the symbol's loop. Network trouble, timeouts and 5xx
 * (OperationFailed) pass: retry. A closed exchange (ccxt's close()) ends the loop quietly. Everything
 * else (bad symbol, not supported, auth) will fail the same way again, and so does an exchange that keeps
 * rate limiting or banning us after withRetries honoured its Retry-After: hammering it prolongs the ban.
 */
export function judgeError(err: unknown): ErrorVerdict {
  if (err instanceof ExchangeClosedByUser) return 'closed';
  if (err instanceof RetriesExhausted) {
    const refused = err.lastError instanceof DDoSProtection || err.lastError instanceof RateLimitExceeded;
    return refused ? 'fatal' : 'retry';
  }
  return err instanceof OperationFailed ? 'retry' : 'fatal';
}
