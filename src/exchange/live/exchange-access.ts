import { InvalidNonce } from 'ccxt';
import type { Clock } from '../../core/clock';
import { withRetries, type RetryPolicy } from '../with-retries';
import { redactCcxtError } from './redact-ccxt-error';
import type { RequestGate } from './request-gate';
import type { LiveExchange, Notify } from './types';

/** What every part of the broker that talks to the exchange shares. */
export interface ExchangeAccess {
  exchange: LiveExchange;
  clock: Clock;
  /** The one Retry-After gate of the broker: every request goes through it. */
  gate: RequestGate;
  /** For reads and cancels; never for createOrder. */
  retry: RetryPolicy;
  /** apiKey, secret, password...: removed from every message built from an error. */
  secrets: readonly (string | undefined)[];
  notify: Notify;
}

const TIMESTAMP = /"code":\s*-1021\b|outside of the recvWindow/i;

/** Binance -1021: our clock and the exchange's disagree by more than the request's recvWindow allows. */
export function isTimestampError(err: unknown): boolean {
  return err instanceof InvalidNonce || (err instanceof Error && TIMESTAMP.test(err.message));
}

/**
 * A read (or a cancel: cancelling twice is harmless) that may be repeated: through the gate, retried with
 * backoff and Retry-After by withRetries, with a time resync before the retry of a -1021.
 */
export function readWithRetries<T>(access: ExchangeAccess, what: string, work: () => Promise<T>): Promise<T> {
  const { clock, retry: policy, gate, exchange, secrets, notify } = access;
  const attempt = async (): Promise<T> => {
    try {
      return await gate.run(work);
    } catch (err) {
      if (isTimestampError(err)) await resyncTime(access);
      throw err;
    }
  };
  return withRetries(attempt, {
    clock,
    policy,
    retryAfterHeader: () => exchange.last_response_headers?.['Retry-After'],
    onRetry: (n) => notify('warn', `${what}: retry ${n.retry}/${n.of} in ${n.delayMs} ms after ${redactCcxtError(n.error, secrets)}`),
  });
}

/**
 * Measures the clock offset again (ccxt signs later requests with it). ccxt's `adjustForTimeDifference`
 * option only does this inside loadMarkets; after a -1021 mid-session this is the cure. True on success.
 */
export async function resyncTime(access: ExchangeAccess): Promise<boolean> {
  const { exchange, gate, secrets, notify } = access;
  if (!exchange.loadTimeDifference) return false;
  try {
    await gate.run(() => exchange.loadTimeDifference!());
    notify('info', `resynchronised the clock with ${exchange.id} after a timestamp (-1021) refusal`);
    return true;
  } catch (err) {
    notify('warn', `could not resynchronise the clock with ${exchange.id}: ${redactCcxtError(err, secrets)}`);
    return false;
  }
}
