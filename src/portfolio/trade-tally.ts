import type { ClosedTrade } from './types';

/** Counts closed trades and winners without keeping them, so a long run does not grow with its history. */
export class TradeTally {
  trades = 0;
  winners = 0;

  add(trade: ClosedTrade): void {
    this.trades += 1;
    // Break-even counts as a loss: it paid fees for nothing.
    if (trade.pnl > 0) this.winners += 1;
  }
}
