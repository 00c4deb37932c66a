import { LIMITS, type FakeMarket } from './binance-format';
import { filterFailure } from './binance-error';
import { onGrid } from './decimal';

export interface FilteredOrder {
  type: 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';
  /** Base quantity as sent (a decimal string), so the step check is exact. */
  quantity: string;
  price?: string;
}

/**
 * Binance's symbol filters, checked in the order Binance checks them; the first one broken rejects the
 * order with -1013 "Filter failure: <FILTER>". `lastPrice` stands in for Binance's average price (the
 * reference of PERCENT_PRICE_BY_SIDE and of NOTIONAL for market orders); `openOrders` counts the
 * account's open orders on the symbol.
 */
export function checkFilters(market: FakeMarket, order: FilteredOrder, lastPrice: number, openOrders: number): void {
  const qty = Number(order.quantity);
  const resting = order.type !== 'MARKET';
  if (resting) {
    const price = Number(order.price);
    if (price < Number(market.tickSize) || price > LIMITS.maxPrice || !onGrid(order.price ?? '', market.tickSize)) throw filterFailure('PRICE_FILTER');
    if (price > lastPrice * LIMITS.priceMultiplier || price < lastPrice / LIMITS.priceMultiplier) throw filterFailure('PERCENT_PRICE_BY_SIDE');
  }
  if (qty < Number(market.minQty) || qty > LIMITS.maxQty || !onGrid(order.quantity, market.stepSize)) throw filterFailure('LOT_SIZE');
  if (!resting && qty > LIMITS.marketMaxQty) throw filterFailure('MARKET_LOT_SIZE');
  const notional = qty * (resting ? Number(order.price) : lastPrice);
  if (notional < Number(market.minNotional) || (resting && notional > LIMITS.maxNotional)) throw filterFailure('NOTIONAL');
  if (resting && openOrders >= LIMITS.maxNumOrders) throw filterFailure('MAX_NUM_ORDERS');
}
