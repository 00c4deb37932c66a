import type { FeeSchedule, Order } from '../../execution/types';
import { redactCcxtError } from './redact-ccxt-error';
import type { LiveDenial, LiveExchange, MarketInterface } from './types';

export interface OrderRulesConfig {
  fees: FeeSchedule;
  /**
   * Headroom for a market buy sized in quote: the fill may come above the price we size at, and the order
   * must still not spend more than its quoteAmount.
   */
  slippageBps: number;
  secrets?: readonly (string | undefined)[];
}

/** The order as it will be sent: amount and limit price on the market's steps. */
export interface SizedOrder {
  amount: number;
  /** Limit orders only. */
  price?: number;
  /** amount x the price the checks used (the limit, or the given current price for a market order). */
  notional: number;
}

export type SizeResult = { ok: true; sized: SizedOrder } | { ok: false; denial: LiveDenial };

type RulesExchange = Pick<LiveExchange, 'market' | 'amountToPrecision' | 'priceToPrecision'>;

/**
 * Puts an order on the market's grid and checks it against the market's limits before anything is sent:
 * the exchange would refuse it anyway, but with a code to look up instead of one sentence with the numbers.
 * Amounts go through ccxt's amountToPrecision, which truncates (never rounding a quantity up past what the
 * account holds); limit prices through priceToPrecision, which rounds to the nearest tick.
 *
 * A buy sized in quote (`quoteAmount`) becomes an amount at `price` the way the paper broker sizes it:
 * quoteAmount / (price x (1 + fee)), the fee being taker for market orders, maker for limits; a market
 * buy also keeps `slippageBps` of headroom. The checks use `price` (market) or the limit price.
 */
export function sizeOrder(exchange: RulesExchange, order: Order, price: number, config: OrderRulesConfig): SizeResult {
  const what = `${order.side} ${order.type} ${order.symbol}`;
  const deny = (code: LiveDenial['code'], why: string): SizeResult => ({ ok: false, denial: { code, message: `${what} refused: ${why}` } });

  let market: MarketInterface;
  try {
    market = exchange.market(order.symbol);
  } catch (err) {
    return deny('unknown-market', `the exchange has no such market (${redactCcxtError(err, config.secrets)})`);
  }
  if (market.active === false) return deny('market-inactive', `the market is not trading (inactive on the exchange)`);
  if (!(price > 0) || !Number.isFinite(price)) return deny('invalid-order', `the current price ${price} is not a positive number`);

  let limitPrice: number | undefined;
  if (order.type === 'limit') {
    const raw = order.limitPrice;
    if (raw === undefined || !(raw > 0)) return deny('invalid-order', `a limit order needs a positive limit price, got ${raw}`);
    limitPrice = Number(exchange.priceToPrecision(order.symbol, raw));
    const { min, max } = market.limits.price ?? {};
    if ((min !== undefined && limitPrice < min) || (max !== undefined && limitPrice > max)) {
      return deny('price-out-of-range', `limit price ${limitPrice} is outside the market's range ${min ?? 0} to ${max ?? 'unbounded'}`);
    }
  }
  const checkPrice = limitPrice ?? price;

  const rawAmount = order.qty ?? quoteToAmount(order, checkPrice, config);
  let amount: number;
  try {
    amount = Number(exchange.amountToPrecision(order.symbol, rawAmount));
  } catch {
    // ccxt throws when truncation leaves nothing: the amount is below one step.
    return deny('below-min-amount', `amount ${rawAmount} ${market.base} is below the market's smallest step`);
  }
  if (!(amount > 0)) return deny('below-min-amount', `amount ${rawAmount} ${market.base} truncates to ${amount}`);

  const { min: minAmount, max: maxAmount } = amountLimits(market, order.type);
  if (minAmount !== undefined && amount < minAmount) {
    return deny('below-min-amount', `amount ${amount} ${market.base} is below the market's minimum of ${minAmount}`);
  }
  if (maxAmount !== undefined && amount > maxAmount) {
    return deny('above-max-amount', `amount ${amount} ${market.base} is above the market's maximum of ${maxAmount}`);
  }
  const notional = amount * checkPrice;
  const { min: minCost, max: maxCost } = market.limits.cost ?? {};
  if (minCost !== undefined && notional < minCost) {
    return deny('below-min-notional', `notional ${amount} x ${checkPrice} = ${round(notional)} ${market.quote} is below the market's minimum of ${minCost}`);
  }
  if (maxCost !== undefined && notional > maxCost) {
    return deny('above-max-notional', `notional ${amount} x ${checkPrice} = ${round(notional)} ${market.quote} is above the market's maximum of ${maxCost}`);
  }
  return { ok: true, sized: { amount, ...(limitPrice !== undefined && { price: limitPrice }), notional } };
}

function quoteToAmount(order: Order, price: number, { fees, slippageBps }: OrderRulesConfig): number {
  const quote = order.quoteAmount ?? 0;
  if (order.type === 'limit') return quote / (price * (1 + fees.maker));
  return quote / (price * (1 + slippageBps / 10_000) * (1 + fees.taker));
}

/** Binance's LOT_SIZE applies to every order, MARKET_LOT_SIZE (ccxt's limits.market) to market orders too. */
function amountLimits(market: MarketInterface, type: Order['type']): { min?: number; max?: number } {
  const lot = market.limits.amount ?? { min: undefined, max: undefined };
  const marketLot = type === 'market' ? market.limits.market : undefined;
  const mins = [lot.min, marketLot?.min].filter((v): v is number => v !== undefined && v > 0);
  const maxs = [lot.max, marketLot?.max].filter((v): v is number => v !== undefined && v > 0);
  return {
    ...(mins.length > 0 && { min: Math.max(...mins) }),
    ...(maxs.length > 0 && { max: Math.min(...maxs) }),
  };
}

function round(value: number): string {
  return String(Number(value.toPrecision(6)));
}
