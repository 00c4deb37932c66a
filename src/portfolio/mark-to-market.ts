import type { PortfolioSnapshot } from './types';

/**
 * A snapshot with its positions valued at newer prices (`priceOf`; a symbol without one keeps its last
 * price). Summed in the snapshot's order, as the ledger sums its positions, so the same prices give the
 * same equity to the last bit. The snapshot itself is left as it is; the same one comes back when no price moved.
 */
export function markToMarket(snapshot: PortfolioSnapshot, priceOf: (symbol: string) => number | undefined, time: number): PortfolioSnapshot {
  let positionsValue = 0;
  let moved = false;
  for (const position of snapshot.positions) {
    const price = priceOf(position.symbol) ?? position.lastPrice;
    if (price !== position.lastPrice) moved = true;
    positionsValue += position.qty * price;
  }
  if (!moved) return snapshot;
  return { ...snapshot, time, positionsValue, equity: snapshot.cash + positionsValue };
}
