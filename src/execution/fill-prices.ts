import type { OrderSide } from './types';
import type { PriceEvent } from './price-event';

/** A market order's price: the event's first price, moved against the trader by the slippage. */
export function marketFillPrice(side: OrderSide, event: PriceEvent, slippageBps: number): number {
  const slip = slippageBps / 10_000;
  return side === 'buy' ? event.open * (1 + slip) : event.open * (1 - slip);
}

/**
 * A limit order's price when the event trades through its limit, else undefined. An event that opens
 * beyond the limit fills at the open, the better price the market offered first; otherwise at the limit.
 */
export function limitFillPrice(side: OrderSide, limitPrice: number, event: PriceEvent): number | undefined {
  if (side === 'buy') return event.low <= limitPrice ? Math.min(limitPrice, event.open) : undefined;
  return event.high >= limitPrice ? Math.max(limitPrice, event.open) : undefined;
}
