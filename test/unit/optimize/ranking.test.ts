import type { BacktestMetrics } from '../../../src/backtest/metrics';
import { rankTrials, scoreOf, sortKey } from '../../../src/optimize/ranking';

function metrics(figures: Partial<BacktestMetrics>): BacktestMetrics {
  return {
    totalReturnPct: 0, buyHoldReturnPct: 0, maxDrawdownPct: 0, sharpe: 0, sortino: 0, trades: 1, winRatePct: 0, profitFactor: 1,
    avgTradePct: 0, bestTradePct: null, worstTradePct: null, exposurePct: 0, feesPaid: 0, ...figures,
  };
}

const trial = (index: number, figures: Partial<BacktestMetrics>) => ({ index, metrics: metrics(figures) });

describe('ranking', () => {
  it('puts the best metric first', () => {
    const ranked = rankTrials([trial(0, { sharpe: 0.5 }), trial(1, { sharpe: 2 }), trial(2, { sharpe: -1 }), trial(3, { sharpe: 1 })], 'sharpe');
    expect(ranked.map((t) => t.index)).toEqual([1, 3, 0, 2]);
    expect(rankTrials([trial(0, { totalReturnPct: 5 }), trial(1, { totalReturnPct: 7 })], 'totalReturnPct').map((t) => t.index)).toEqual([1, 0]);
  });

  it('breaks ties by total return, then by trial order, whatever the input order', () => {
    const trials = [trial(4, { sharpe: 1, totalReturnPct: 3 }), trial(2, { sharpe: 1, totalReturnPct: 3 }), trial(3, { sharpe: 1, totalReturnPct: 9 }), trial(0, { sharpe: 0.2 })];
    expect(rankTrials(trials, 'sharpe').map((t) => t.index)).toEqual([3, 2, 4, 0]);
    expect(rankTrials([...trials].reverse(), 'sharpe').map((t) => t.index)).toEqual([3, 2, 4, 0]);
  });

  it('ranks a missing profit factor first when trades won and none lost, last when nothing won', () => {
    const noLoss = trial(0, { profitFactor: null, winRatePct: 100, trades: 2 });
    const noTrades = trial(1, { profitFactor: null, winRatePct: 0, trades: 0 });
    const ordinary = trial(2, { profitFactor: 3 });
    expect(rankTrials([noTrades, ordinary, noLoss], 'profitFactor').map((t) => t.index)).toEqual([0, 2, 1]);
    expect(scoreOf('profitFactor', noLoss.metrics)).toBeNull();
    expect(sortKey('profitFactor', noLoss.metrics)).toBe(Infinity);
    expect(sortKey('profitFactor', noTrades.metrics)).toBe(-Infinity);
    expect(sortKey('sharpe', metrics({ sharpe: Number.NaN }))).toBe(-Infinity);
  });
});
