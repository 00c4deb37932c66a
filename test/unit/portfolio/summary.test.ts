import { TradeTally } from '../../../src/portfolio/trade-tally';
import { Ledger } from '../../../src/portfolio/ledger';
import { RunStats } from '../../../src/portfolio/run-stats';
import { buildRunSummary, formatSummary, type RunSummary } from '../../../src/portfolio/summary';
import type { ClosedTrade, PortfolioSnapshot } from '../../../src/portfolio/types';
import { fill } from './fills';

function trade(pnl: number): ClosedTrade {
  return { symbol: 'BTC/USDT', entryTime: 0, exitTime: 1, side: 'long', qty: 1, entryPrice: 100, exitPrice: 100 + pnl, fees: 0, pnl, pnlPct: pnl, exitReason: 'signal' };
}

const emptySnapshot: PortfolioSnapshot = {
  time: 0,
  quoteCurrency: 'USDT',
  cash: 10_000,
  positions: [],
  positionsValue: 0,
  equity: 10_000,
  realizedPnl: 0,
  feesPaid: 0,
};

describe('buildRunSummary', () => {
  it('sums up the run from the final snapshot, the closed trades and the equity stats', () => {
    const ledger = new Ledger({ quoteCurrency: 'USDT', startBalance: 10_000 });
    const stats = new RunStats();
    stats.record(0, ledger.equity());
    ledger.applyFill(fill({ side: 'buy', qty: 10, price: 100, fee: 1, time: 1 }));
    // equity 8999 cash + 10 x 90 = 9899
    ledger.mark('BTC/USDT', 90);
    stats.record(2, ledger.equity());
    // a losing exit at 60: cash 10000 - 1001 + 600 - 0.6 = 9598.4
    const tally = new TradeTally();
    tally.add(ledger.applyFill(fill({ side: 'sell', qty: 10, price: 60, fee: 0.6, time: 3 }))!);
    ledger.applyFill(fill({ symbol: 'ETH/USDT', side: 'buy', qty: 1, price: 50, fee: 0.05, time: 4 }));
    ledger.mark('ETH/USDT', 60);
    stats.record(5, ledger.equity());
    const summary = buildRunSummary({ startBalance: 10_000, snapshot: ledger.snapshot(5), tally, stats, candles: 42 });
    // cash 9598.4 - 50.05 = 9548.35, ETH 1 x 60
    expect(summary).toEqual<RunSummary>({
      quoteCurrency: 'USDT',
      startBalance: 10_000,
      finalEquity: expect.closeTo(9608.35, 9),
      cash: expect.closeTo(9548.35, 9),
      positionsValue: 60,
      // (9608.35 - 10000) / 10000 x 100
      totalReturnPct: expect.closeTo(-3.9165, 9),
      // (60 - 100) x 10 - 0.6 - 1 = -401.6
      realizedPnl: expect.closeTo(-401.6, 9),
      trades: 1,
      winners: 0,
      winRatePct: 0,
      // 1 + 0.6 + the open ETH entry fee 0.05
      feesPaid: expect.closeTo(1.65, 12),
      // curve 10000 -> 9899 -> 9608.35: the last point is the trough, 391.65 / 10000
      maxDrawdownPct: expect.closeTo(3.9165, 9),
      candles: 42,
      openPositions: 1,
    });
  });

  it('counts only trades with a positive PnL as winners, break-even included among the losers', () => {
    const tally = new TradeTally();
    for (const pnl of [5, -3, 0, 2]) tally.add(trade(pnl));
    const summary = buildRunSummary({ startBalance: 10_000, snapshot: emptySnapshot, tally, stats: new RunStats(), candles: 0 });
    expect(summary.trades).toBe(4);
    expect(summary.winners).toBe(2);
    expect(summary.winRatePct).toBe(50);
  });

  it('gives a win rate of 0 and a return of 0 when nothing traded', () => {
    const summary = buildRunSummary({ startBalance: 10_000, snapshot: emptySnapshot, tally: new TradeTally(), stats: new RunStats(), candles: 10 });
    expect(summary.trades).toBe(0);
    expect(summary.winRatePct).toBe(0);
    expect(summary.totalReturnPct).toBe(0);
  });
});

describe('formatSummary', () => {
  it('prints equity, return, trades, win rate, fees and drawdown on a few lines', () => {
    const summary: RunSummary = {
      quoteCurrency: 'USDT',
      startBalance: 10_000,
      finalEquity: 10_234.567,
      cash: 10_234.567,
      positionsValue: 0,
      totalReturnPct: 2.34567,
      realizedPnl: 234.567,
      trades: 12,
      winners: 7,
      winRatePct: (7 / 12) * 100,
      feesPaid: 23.456,
      maxDrawdownPct: 4.2,
      candles: 3_000,
      openPositions: 1,
    };
    expect(formatSummary(summary)).toBe(
      [
        'equity        10000.00 -> 10234.57 USDT',
        'return        +2.35 %',
        'trades        12, win rate 58.3 %',
        'fees paid     23.46 USDT',
        'max drawdown  4.20 %',
        'candles       3000, 1 position open at the end',
      ].join('\n'),
    );
  });

  it('shows a loss with its minus sign', () => {
    const summary = buildRunSummary({ startBalance: 10_000, snapshot: { ...emptySnapshot, equity: 9_500 }, tally: new TradeTally(), stats: new RunStats(), candles: 0 });
    expect(formatSummary(summary)).toContain('return        -5.00 %');
  });
});
