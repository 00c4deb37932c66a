import { OrderNotFound } from 'ccxt';
import { isTimestampError, resyncTime, type ExchangeAccess } from './exchange-access';
import { redactCcxtError } from './redact-ccxt-error';
import { sleep } from './request-gate';
import type { CcxtOrder } from './types';

export interface ResolvePolicy {
  /** Queries before giving up as `unresolved`. */
  attempts: number;
  /** Wait before the first query; doubles up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * From the moment the send failed, how long until the exchange can no longer place that request, so a
   * "not found" after it is final. Binance checks recvWindow (ccxt's default 10 s) against the request's
   * timestamp at the API server and again in the matching engine (-5028), and the timestamp is signed
   * before the request leaves, i.e. before the failure we saw: recvWindow after the failure, plus a margin
   * for the clock offset estimate, bounds it. Undefined for exchanges with no such rule: then "not found"
   * never proves anything and the order stays unresolved until it shows up or a person looks.
   */
  notFoundIsFinalAfterMs?: number;
}

export const DEFAULT_RESOLVE_POLICY: ResolvePolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 8000 };

export type Resolution =
  | { kind: 'found'; update: CcxtOrder }
  | { kind: 'not-placed' }
  | { kind: 'unresolved'; reason: string };

export interface OrderRef {
  clientOrderId: string;
  symbol: string;
}

/**
 * Settles a createOrder whose outcome is unknown by asking, never by sending again: sending again is how
 * bots end up with two orders after a timeout (the first did go through), and a client order id does not
 * prevent it on Binance once the first one has filled, as ids need only be unique among open orders.
 * Each attempt queries the order by client order id (OrderNotFound = not there yet) and, unless found,
 * the symbol's open orders. Waits run on the clock and through the shared gate.
 */
export async function resolveUnknownOrder(access: ExchangeAccess, ref: OrderRef, failedAt: number, policy: ResolvePolicy): Promise<Resolution> {
  const { clock } = access;
  const finalAt = policy.notFoundIsFinalAfterMs === undefined ? undefined : failedAt + policy.notFoundIsFinalAfterMs;
  let reason = 'no query was made';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (access.gate.closed) return { kind: 'unresolved', reason: 'the broker stopped before it could settle the order' };
    let delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    // The last query waits for the moment "not found" becomes final, so the bounds can settle it.
    if (attempt === policy.attempts && finalAt !== undefined) delay = Math.max(delay, finalAt - clock.now());
    await sleep(clock, delay);
    if (access.gate.closed) return { kind: 'unresolved', reason: 'the broker stopped before it could settle the order' };

    const askedAt = clock.now();
    const query = await queryOrder(access, ref);
    if (query.found) return { kind: 'found', update: query.found };
    if (query.notFound && finalAt !== undefined && askedAt >= finalAt) return { kind: 'not-placed' };
    reason = query.notFound ? `not found after ${askedAt - failedAt} ms` : (query.error ?? 'no answer');
  }
  return { kind: 'unresolved', reason };
}

interface QueryResult {
  found?: CcxtOrder;
  /** The exchange answered OrderNotFound to the query by client order id, and open orders agreed. */
  notFound: boolean;
  error?: string;
}

/** One look for the order: by client order id first, in the symbol's open orders if that did not find it. */
export async function queryOrder(access: ExchangeAccess, ref: OrderRef): Promise<QueryResult> {
  const { exchange, gate, secrets } = access;
  let notFound = false;
  let error: string | undefined;
  try {
    // binance ignores the id argument when clientOrderId is given (it queries origClientOrderId).
    const order = await gate.run(() => exchange.fetchOrder(ref.clientOrderId, ref.symbol, { clientOrderId: ref.clientOrderId }));
    return { found: withClientId(order, ref.clientOrderId), notFound: false };
  } catch (err) {
    if (err instanceof OrderNotFound) notFound = true;
    else {
      error = `fetchOrder: ${redactCcxtError(err, secrets)}`;
      if (isTimestampError(err)) await resyncTime(access);
    }
  }
  try {
    const open = await gate.run(() => exchange.fetchOpenOrders(ref.symbol));
    const found = open.find((o) => o.clientOrderId === ref.clientOrderId);
    if (found) return { found, notFound: false };
  } catch (err) {
    return { notFound: false, error: `${error ?? ''}${error ? '; ' : ''}fetchOpenOrders: ${redactCcxtError(err, secrets)}` };
  }
  return { notFound, ...(error !== undefined && { error }) };
}

/** Some responses leave clientOrderId out; the book keys on it. */
export function withClientId(order: CcxtOrder, clientOrderId: string): CcxtOrder {
  return order.clientOrderId === undefined ? { ...order, clientOrderId } : order;
}
