import { classifyCreateError } from './classify-order-error';
import { resyncTime, type ExchangeAccess } from './exchange-access';
import { redactCcxtError } from './redact-ccxt-error';
import { resolveUnknownOrder, withClientId, type ResolvePolicy } from './resolve-order';
import type { CcxtOrder, LiveDenial } from './types';

/** An order as sent: on the market's grid already (see order-rules.ts). */
export interface SubmitRequest {
  clientOrderId: string;
  symbol: string;
  type: 'market' | 'limit';
  side: 'buy' | 'sell';
  amount: number;
  /** Limit orders only. */
  price?: number;
}

/**
 * - accepted: the exchange has the order (createOrder's answer, or found by the queries after an unknown).
 * - rejected: it is not on the exchange, and will not be.
 * - unresolved: the outcome is still unknown after the bounded queries; reconciliation keeps looking.
 */
export type SubmitOutcome =
  | { kind: 'accepted'; update: CcxtOrder }
  | { kind: 'rejected'; denial: LiveDenial }
  | { kind: 'unresolved'; reason: string };

export interface SubmitterConfig {
  resolve: ResolvePolicy;
  /**
   * Longest Retry-After an order waits out before it is sent; beyond it the order is refused as
   * rate-limited, as it would trade on a stale decision (a 418 ban lasts minutes to days).
   */
  maxGateWaitMs: number;
}

/**
 * Sends createOrder once. The one case sent a second time is a timestamp refusal (-1021), after a time
 * resync, with the same client order id: Binance checks the timestamp at the API server before the order
 * goes anywhere, so the first was certainly not placed, and were it somehow, the exchange refuses a
 * client id it holds open. Every other failure is a rejection or an unknown, and an unknown is settled by
 * queries (resolve-order.ts), never by sending again.
 */
export class OrderSubmitter {
  constructor(
    private readonly access: ExchangeAccess,
    private readonly config: SubmitterConfig,
  ) {}

  async submit(request: SubmitRequest): Promise<SubmitOutcome> {
    for (let send = 1; ; send++) {
      const refused = this.refuseWhileGated(request);
      if (refused) return refused;
      try {
        const order = await this.send(request);
        return { kind: 'accepted', update: withClientId(order, request.clientOrderId) };
      } catch (err) {
        const verdict = classifyCreateError(err);
        const error = redactCcxtError(err, this.access.secrets);
        if (verdict.kind === 'timestamp' && send === 1) {
          this.access.notify('warn', `order ${request.clientOrderId} refused for its timestamp (${error}); resyncing the clock and sending it once more`);
          await resyncTime(this.access);
          continue;
        }
        if (verdict.kind === 'timestamp') {
          return rejected(request, 'clock-skew', `refused twice for its timestamp, around a clock resync: ${error}`);
        }
        if (verdict.kind === 'rejected') return rejected(request, verdict.code, `refused by ${this.access.exchange.id}: ${error}`);
        return this.resolve(request, error);
      }
    }
  }

  private send({ symbol, type, side, amount, price, clientOrderId }: SubmitRequest): Promise<CcxtOrder> {
    const { exchange, gate } = this.access;
    return gate.run(() => exchange.createOrder(symbol, type, side, amount, price, { clientOrderId }));
  }

  private refuseWhileGated(request: SubmitRequest): SubmitOutcome | undefined {
    const wait = this.access.gate.waitMs();
    if (wait <= this.config.maxGateWaitMs) return undefined;
    return rejected(request, 'rate-limited', `not sent: the exchange asked for ${Math.ceil(wait / 1000)} s without requests (Retry-After), longer than the ${Math.ceil(this.config.maxGateWaitMs / 1000)} s an order may wait`);
  }

  private async resolve(request: SubmitRequest, error: string): Promise<SubmitOutcome> {
    const { clock, notify } = this.access;
    notify('warn', `order ${request.clientOrderId}: outcome unknown after ${error}; querying it by client order id, not sending it again`);
    const resolution = await resolveUnknownOrder(this.access, request, clock.now(), this.config.resolve);
    switch (resolution.kind) {
      case 'found':
        notify('info', `order ${request.clientOrderId} was placed despite the ${error.split(':')[0]}`);
        return { kind: 'accepted', update: resolution.update };
      case 'not-placed':
        return rejected(request, 'not-placed', `not placed: the send failed (${error}) and the exchange had no such order once its recvWindow had passed`);
      case 'unresolved':
        return { kind: 'unresolved', reason: `send failed (${error}); ${resolution.reason}` };
    }
  }
}

function rejected(request: SubmitRequest, code: LiveDenial['code'], why: string): SubmitOutcome {
  const { clientOrderId, side, type, amount, symbol, price } = request;
  const at = price !== undefined ? ` at ${price}` : '';
  return { kind: 'rejected', denial: { code, message: `order ${clientOrderId} (${side} ${type} ${amount} ${symbol}${at}) ${why}` } };
}
