import type { JournalEvent } from '../../src/state/journal';

interface ExchangeOrder {
  clientOrderId: string;
  side: string;
  executedQty: number;
}

/**
 * Every fill booked once: per order, the booked quantity is what the exchange filled (a sell books the
 * books' whole position, a little more than the account held after a buy's commission in the coin).
 */
export function expectEveryFillBookedOnce(orders: readonly ExchangeOrder[], events: readonly JournalEvent[]): void {
  const booked = new Map<string, number>();
  for (const e of events.filter((x) => x.kind === 'order.filled')) {
    const { fill } = e.data as { fill: { clientOrderId: string; qty: number } };
    booked.set(fill.clientOrderId, (booked.get(fill.clientOrderId) ?? 0) + fill.qty);
  }
  for (const o of orders) {
    const qty = booked.get(o.clientOrderId) ?? 0;
    if (o.side === 'BUY') expect(qty).toBeCloseTo(o.executedQty, 9);
    else if (o.executedQty === 0) expect(qty).toBe(0);
    else expect(qty / o.executedQty).toBeGreaterThanOrEqual(1 - 1e-9), expect(qty / o.executedQty).toBeLessThan(1.01);
  }
}
