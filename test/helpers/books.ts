import type { PortfolioSnapshot, PositionView } from '../../src/portfolio/types';

/** An open position bought at `price` and marked there. */
export function positionView(symbol: string, qty = 1, price = 100): PositionView {
  return { symbol, qty, avgEntry: price, entryTime: 0, lastPrice: price, unrealizedPnl: 0, entryFees: 0 };
}

/** A USDT snapshot with this cash and these positions, its equity their sum. */
export function snapshotOf(cash: number, positions: PositionView[] = []): PortfolioSnapshot {
  const positionsValue = positions.reduce((sum, p) => sum + p.qty * p.lastPrice, 0);
  return { time: 0, quoteCurrency: 'USDT', cash, positions, positionsValue, equity: cash + positionsValue, realizedPnl: 0, feesPaid: 0 };
}
