import type { Order } from './types';

/**
 * Throws when an order cannot be filled as written. Orders are built by our own code after the risk gate,
 * so a bad one is a programming error, not a refusal: it fails loudly with the offending values.
 */
export function assertValidOrder(order: Order): void {
  // Named lazily: every order of a backtest passes here, and the name is only needed on failure.
  const where = (): string => `order ${order.clientOrderId} (${order.side} ${order.type} ${order.symbol})`;
  if (order.clientOrderId === '') throw new Error(`${where()} has an empty client order id`);
  if (order.side !== 'buy' && order.side !== 'sell') throw new Error(`${where()} has an invalid side: ${String(order.side)}`);
  if (order.type !== 'market' && order.type !== 'limit') throw new Error(`${where()} has an invalid type: ${String(order.type)}`);

  const hasQty = order.qty !== undefined;
  const hasQuote = order.quoteAmount !== undefined;
  if (hasQty === hasQuote) {
    throw new Error(`${where()} must set exactly one of qty and quoteAmount (qty ${order.qty}, quoteAmount ${order.quoteAmount})`);
  }
  if (hasQty) assertPositive(where, 'qty', order.qty);
  if (hasQuote) {
    if (order.side === 'sell') throw new Error(`${where()} sells by quoteAmount ${order.quoteAmount}; sells must give a qty`);
    assertPositive(where, 'quoteAmount', order.quoteAmount);
  }

  if (order.type === 'limit') assertPositive(where, 'limitPrice', order.limitPrice);
  else if (order.limitPrice !== undefined) throw new Error(`${where()} is a market order with a limitPrice: ${order.limitPrice}`);

  if (order.notBefore !== undefined && !Number.isFinite(order.notBefore)) throw new Error(`${where()} has an invalid notBefore: ${order.notBefore}`);
}

function assertPositive(where: () => string, name: string, value: number | undefined): void {
  if (value === undefined || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${where()} has an invalid ${name}: ${value}; it must be a positive number`);
  }
}
