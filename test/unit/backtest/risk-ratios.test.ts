import { periodReturns, periodsPerYear, sharpeRatio, sortinoRatio } from '../../../src/backtest/risk-ratios';

// 100 -> 110 -> 99 -> 108.9 -> 119.79: returns +10 %, -10 %, +10 %, +10 %
const EQUITY = [100, 110, 99, 108.9, 119.79];
const RETURNS = [0.1, -0.1, 0.1, 0.1];

describe('periodsPerYear', () => {
  it('counts every day of a 365-day year', () => {
    expect(periodsPerYear('1h')).toBe(8_760); // 365 x 24
    expect(periodsPerYear('1d')).toBe(365);
    expect(periodsPerYear('1m')).toBe(525_600); // 365 x 24 x 60
    expect(periodsPerYear('4h')).toBe(2_190); // 365 x 6
  });

  it('refuses an unknown timeframe', () => {
    expect(() => periodsPerYear('2d')).toThrow(/unknown timeframe/);
  });
});

describe('periodReturns', () => {
  it('gives the simple return between consecutive points', () => {
    const returns = periodReturns(EQUITY);
    expect(returns).toHaveLength(4);
    returns.forEach((r, i) => expect(r).toBeCloseTo(RETURNS[i] ?? NaN, 12));
  });

  it('leaves out steps from an equity at or below zero', () => {
    // 100 -> 0 is -100 %; 0 -> 50 has no return; 50 -> 100 is +100 %
    expect(periodReturns([100, 0, 50, 100])).toEqual([-1, 1]);
  });
});

describe('sharpeRatio', () => {
  // mean = (0.1 - 0.1 + 0.1 + 0.1) / 4 = 0.05
  // deviations 0.05, -0.15, 0.05, 0.05; squares 0.0025 + 0.0225 + 0.0025 + 0.0025 = 0.03
  // sample variance 0.03 / (4 - 1) = 0.01; stdev 0.1; per period 0.05 / 0.1 = 0.5
  it('annualises mean / sample stdev for hourly candles', () => {
    expect(sharpeRatio(periodReturns(EQUITY), 8_760)).toBeCloseTo(0.5 * Math.sqrt(365 * 24), 9); // 46.797...
  });

  it('annualises mean / sample stdev for daily candles', () => {
    expect(sharpeRatio(periodReturns(EQUITY), 365)).toBeCloseTo(0.5 * Math.sqrt(365), 9); // 9.552...
  });

  it('is 0 with fewer than two returns', () => {
    expect(sharpeRatio([], 365)).toBe(0);
    expect(sharpeRatio([0.1], 365)).toBe(0);
  });

  it('is 0 when the returns do not vary', () => {
    expect(sharpeRatio([0, 0, 0], 365)).toBe(0);
  });

  it('is negative for a losing curve', () => {
    // mean -0.05, stdev 0.1 as above with the signs flipped: -0.5 x sqrt(365)
    expect(sharpeRatio([-0.1, 0.1, -0.1, -0.1], 365)).toBeCloseTo(-0.5 * Math.sqrt(365), 9);
  });
});

describe('sortinoRatio', () => {
  // min(r, 0)^2: 0, 0.01, 0, 0; downside deviation sqrt(0.01 / 4) = 0.05; per period 0.05 / 0.05 = 1
  it('annualises mean / downside deviation over all returns for hourly candles', () => {
    expect(sortinoRatio(periodReturns(EQUITY), 8_760)).toBeCloseTo(Math.sqrt(8_760), 9); // 93.59...
  });

  it('annualises mean / downside deviation over all returns for daily candles', () => {
    expect(sortinoRatio(periodReturns(EQUITY), 365)).toBeCloseTo(Math.sqrt(365), 9);
  });

  it('weighs every losing period', () => {
    // returns 0.2, -0.1, -0.2: mean -0.1 / 3 = -0.0333...
    // downside (0.01 + 0.04) / 3 = 0.01666...; sqrt = 0.129099...; ratio -0.0333.../0.129099... = -0.258198...
    expect(sortinoRatio([0.2, -0.1, -0.2], 1)).toBeCloseTo(-0.1 / 3 / Math.sqrt(0.05 / 3), 12);
  });

  it('is 0 without a losing period or with fewer than two returns', () => {
    expect(sortinoRatio([0.1, 0.2, 0], 365)).toBe(0);
    expect(sortinoRatio([-0.1], 365)).toBe(0);
  });
});
