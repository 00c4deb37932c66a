import { EquityCurve, type EquityPoint } from '../../../src/backtest/equity-curve';
import { computeMetrics, type MetricsInput } from '../../../src/backtest/metrics';
import type { ClosedTrade } from '../../../src/portfolio/types';

const HOUR = 3_600_000;

function trade(pnl: number, pnlPct: number): ClosedTrade {
  return { symbol: 'BTC/USDT', entryTime: 0, exitTime: HOUR, side: 'long', qty: 1, entryPrice: 100, exitPrice: 100, fees: 0.1, pnl, pnlPct, exitReason: 'signal' };
}

function curveOf(equities: number[], inPosition: boolean[]): EquityCurve {
  const curve = new EquityCurve();
  equities.forEach((equity, i) => curve.record(i * HOUR, equity, inPosition[i] ?? false));
  return curve;
}

// 100 -> 110 -> 99 -> 108.9 -> 119.79: returns +10 %, -10 %, +10 %, +10 %; in a position at 3 of 5 points
const CURVE = curveOf([100, 110, 99, 108.9, 119.79], [false, true, true, false, true]);
const TRADES = [trade(30, 3), trade(-10, -1), trade(-5, -0.5), trade(0, 0)];

function input(overrides: Partial<MetricsInput> = {}): MetricsInput {
  return { curve: CURVE, trades: TRADES, startBalance: 100, timeframe: '1h', buyHold: { firstClose: 200, lastClose: 250 }, feesPaid: 7.5, ...overrides };
}

describe('computeMetrics', () => {
  it('computes every figure of a small run', () => {
    const m = computeMetrics(input());
    // (119.79 - 100) / 100 x 100 = 19.79 %
    expect(m.totalReturnPct).toBeCloseTo(19.79, 9);
    // (250 - 200) / 200 x 100 = 25 %
    expect(m.buyHoldReturnPct).toBe(25);
    // peak 110, trough 99: 11 / 110 = 10 %
    expect(m.maxDrawdownPct).toBeCloseTo(10, 9);
    // mean 0.05; sample stdev sqrt(0.03 / 3) = 0.1; 0.5 per period x sqrt(365 x 24)
    expect(m.sharpe).toBeCloseTo(0.5 * Math.sqrt(8_760), 9);
    // downside deviation sqrt(0.1^2 / 4) = 0.05; 1 per period x sqrt(365 x 24)
    expect(m.sortino).toBeCloseTo(Math.sqrt(8_760), 9);
    expect(m.trades).toBe(4);
    // one winner (30) of 4 trades; the break-even trade is not a win
    expect(m.winRatePct).toBe(25);
    // 30 / (10 + 5) = 2
    expect(m.profitFactor).toBe(2);
    // (3 - 1 - 0.5 + 0) / 4 = 0.375
    expect(m.avgTradePct).toBe(0.375);
    expect(m.bestTradePct).toBe(3);
    expect(m.worstTradePct).toBe(-1);
    // 3 of 5 points: 60 %
    expect(m.exposurePct).toBe(60);
    expect(m.feesPaid).toBe(7.5);
  });

  it('annualises the ratios by the timeframe', () => {
    const m = computeMetrics(input({ timeframe: '1d' }));
    // same per-period ratios, 365 daily periods a year
    expect(m.sharpe).toBeCloseTo(0.5 * Math.sqrt(365), 9);
    expect(m.sortino).toBeCloseTo(Math.sqrt(365), 9);
  });

  it('gives the same figures for the recorded curve and its points', () => {
    const points: readonly EquityPoint[] = CURVE.points();
    expect(computeMetrics(input({ curve: points }))).toEqual(computeMetrics(input()));
  });

  it('measures the return against the start balance, not the first point', () => {
    // (119.79 - 50) / 50 x 100 = 139.58 %
    expect(computeMetrics(input({ startBalance: 50 })).totalReturnPct).toBeCloseTo(139.58, 9);
  });

  it('has no profit factor when no trade lost, and says so in valid JSON', () => {
    const m = computeMetrics(input({ trades: [trade(5, 1), trade(0, 0)] }));
    expect(m.profitFactor).toBeNull();
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('has a profit factor of 0 when every trade lost', () => {
    expect(computeMetrics(input({ trades: [trade(-5, -1)] })).profitFactor).toBe(0);
  });

  it('reports a run without trades as 0 trades with no best, worst or profit factor', () => {
    const m = computeMetrics(input({ trades: [] }));
    expect(m.trades).toBe(0);
    expect(m.winRatePct).toBe(0);
    expect(m.avgTradePct).toBe(0);
    expect(m.profitFactor).toBeNull();
    expect(m.bestTradePct).toBeNull();
    expect(m.worstTradePct).toBeNull();
  });

  it('measures exposure as the share of points with a position open', () => {
    // 1 of 4 points: 25 %
    expect(computeMetrics(input({ curve: curveOf([1, 1, 1, 1], [false, false, true, false]) })).exposurePct).toBe(25);
    expect(computeMetrics(input({ curve: curveOf([1, 1], [true, true]) })).exposurePct).toBe(100);
  });

  it('averages the buy & hold returns of several symbols with equal weights', () => {
    const buyHold = [
      { firstClose: 100, lastClose: 150 }, // +50 %
      { firstClose: 200, lastClose: 180 }, // -10 %
    ];
    // (50 - 10) / 2 = 20 %
    expect(computeMetrics(input({ buyHold })).buyHoldReturnPct).toBe(20);
    expect(computeMetrics(input({ buyHold: [{ firstClose: 100, lastClose: 150 }] })).buyHoldReturnPct).toBe(50);
    expect(computeMetrics(input({ buyHold: [] })).buyHoldReturnPct).toBe(0);
  });

  it('reports an empty curve as no change', () => {
    const m = computeMetrics(input({ curve: new EquityCurve(), trades: [] }));
    expect(m.totalReturnPct).toBe(0);
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.sharpe).toBe(0);
    expect(m.sortino).toBe(0);
    expect(m.exposurePct).toBe(0);
  });

  it('refuses a start balance or first close that is not positive', () => {
    expect(() => computeMetrics(input({ startBalance: 0 }))).toThrow(/start balance/);
    expect(() => computeMetrics(input({ buyHold: { firstClose: 0, lastClose: 10 } }))).toThrow(/first close/);
  });
});
