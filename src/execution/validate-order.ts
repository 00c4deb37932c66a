import type { Order } from './types';

/**
 * Throws when an order cannot be filled as written. Orders are built by our own code after the risk gate,
 * so a bad one is a programming error, not a refusal: it fails loudly with the offending values.
 */
export function assertValidOrder(order: Order): void {
  // The order is named only on failure: every order of a backtest passes here.
  if (order.clientOrderId === '') throw new Error(`${describe(order)} has an empty client order id`);
  if (order.side !== 'buy' && order.side !== 'sell') throw new Error(`${describe(order)} has an invalid side: ${String(order.side)}`);
  if (order.type !== 'market' && order.type !== 'limit') throw new Error(`${describe(order)} has an invalid type: ${String(order.type)}`);

  const hasQty = order.qty !== undefined;
  const hasQuote = order.quoteAmount !== undefined;
  if (hasQty === hasQuote) {
    throw new Error(`${describe(order)} must set exactly one of qty and quoteAmount (qty ${order.qty}, quoteAmount ${order.quoteAmount})`);
  }
  if (hasQty) assertPositive(order, 'qty', order.qty);
  if (hasQuote) {
    if (order.side === 'sell') throw new Error(`${describe(order)} sells by quoteAmount ${order.quoteAmount}; sells must give a qty`);
    assertPositive(order, 'quoteAmount', order.quoteAmount);
  }

  if (order.type === 'limit') assertPositive(order, 'limitPrice', order.limitPrice);
  else if (order.limitPrice !== undefined) throw new Error(`${describe(order)} is a market order with a limitPrice: ${order.limitPrice}`);

  if (order.notBefore !== undefined && !Number.isFinite(order.notBefore)) throw new Error(`${describe(order)} has an invalid notBefore: ${order.notBefore}`);
}

function describe(order: Order): string {
  return `order ${order.clientOrderId} (${order.side} ${order.type} ${order.symbol})`;
}

function assertPositive(order: Order, name: string, value: number | undefined): void {
  if (value === undefined || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${describe(order)} has an invalid ${name}: ${value}; it must be a positive number`);
  }
}
