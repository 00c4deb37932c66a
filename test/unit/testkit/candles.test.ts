import path from 'node:path';
import { candlesFromCloses, candlesFromFile, candlesFromRows, crash, range, trend } from '../../../src/testkit';
import type { Candle } from '../../../src/testkit';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** What every builder promises: one symbol and timeframe, times rising by one period, consistent prices. */
function expectWellFormed(candles: readonly Candle[], stepMs: number): void {
  candles.forEach((c, i) => {
    expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
    expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
    expect(c.low).toBeGreaterThan(0);
    expect(c.symbol).toBe(candles[0]!.symbol);
    expect(c.timeframe).toBe(candles[0]!.timeframe);
    if (i > 0) {
      expect(c.time - candles[i - 1]!.time).toBe(stepMs);
      expect(c.open).toBe(candles[i - 1]!.close);
    }
  });
}

describe('candlesFromCloses', () => {
  it('opens each candle at the previous close, hourly BTC/USDT from 2024-01-01 by default', () => {
    const candles = candlesFromCloses([10, 12, 11]);
    expect(candles).toEqual([
      { symbol: 'BTC/USDT', timeframe: '1h', time: T0, open: 10, high: 10, low: 10, close: 10, volume: 1 },
      { symbol: 'BTC/USDT', timeframe: '1h', time: T0 + HOUR, open: 10, high: 12, low: 10, close: 12, volume: 1 },
      { symbol: 'BTC/USDT', timeframe: '1h', time: T0 + 2 * HOUR, open: 12, high: 12, low: 11, close: 11, volume: 1 },
    ]);
  });

  it('takes symbol, timeframe, start, first open, wicks and volume', () => {
    const candles = candlesFromCloses([100, 110], { symbol: 'ETH/USDT', timeframe: '5m', start: '2025-03-01T12:00', firstOpen: 90, wickPct: 10, volume: 7 });
    expect(candles[0]).toEqual({ symbol: 'ETH/USDT', timeframe: '5m', time: Date.UTC(2025, 2, 1, 12), open: 90, high: 110.00000000000001, low: 81, close: 100, volume: 7 });
    expect(candles[1]!.time).toBe(Date.UTC(2025, 2, 1, 12, 5));
    expect(candlesFromCloses([1], { start: new Date(T0 + HOUR) })[0]!.time).toBe(T0 + HOUR);
  });

  it('refuses a price that is not a positive number, naming the candle', () => {
    expect(() => candlesFromCloses([10, 0, 12])).toThrow('candle 1: close 0 is not a positive price');
    expect(() => candlesFromCloses([10, Number.NaN])).toThrow('candle 1: close NaN is not a positive price');
    expect(() => candlesFromCloses([10], { timeframe: '7m' })).toThrow('unknown timeframe "7m"');
    expect(() => candlesFromCloses([10], { start: 'yesterday' })).toThrow('start yesterday is not a time');
  });
});

describe('candlesFromRows', () => {
  it('reads [open, high, low, close, volume?] rows and object rows with their own times', () => {
    const candles = candlesFromRows([
      [100, 105, 95, 101],
      [101, 103, 99, 102, 8],
      { open: 102, high: 104, low: 101, close: 103, time: T0 + 5 * HOUR },
      { open: 103, high: 103, low: 90, close: 91, volume: 3 },
    ]);
    expect(candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])).toEqual([
      [T0, 100, 105, 95, 101, 1],
      [T0 + HOUR, 101, 103, 99, 102, 8],
      [T0 + 5 * HOUR, 102, 104, 101, 103, 1],
      [T0 + 6 * HOUR, 103, 103, 90, 91, 3],
    ]);
  });

  it('refuses inconsistent prices and times that do not rise, naming the row', () => {
    expect(() => candlesFromRows([[100, 105, 95, 101], [100, 99, 101, 100]])).toThrow('candle 1: high 99 is below low 101');
    expect(() => candlesFromRows([[100, 101, 99, 100, 5], { open: 1, high: 1, low: 1, close: 1, time: T0 }])).toThrow('row 1: its time 2024-01-01T00:00:00.000Z is not after');
  });
});

describe('candlesFromFile', () => {
  it('reads a candle file the way backtest --data does', () => {
    const candles = candlesFromFile(path.join(__dirname, '..', '..', 'fixtures', 'candles', 'BTC_USDT-1h.json'));
    expect(candles[0]).toEqual({ symbol: 'BTC/USDT', timeframe: '1h', time: 1609459200000, open: 29000, high: 29400, low: 28800, close: 29300, volume: 12.5 });
    expect(candlesFromFile(path.join(__dirname, '..', '..', 'fixtures', 'candles', 'ETH_USDT.csv'), { timeframe: '15m' })[0]!.symbol).toBe('ETH/USDT');
  });
});

describe('synthetic series', () => {
  const base = { seed: 7, length: 300, volatility: 0.01 };

  it('are the same for a seed and differ between seeds', () => {
    expect(trend({ ...base, drift: 0.001 })).toEqual(trend({ ...base, drift: 0.001 }));
    expect(range(base)).toEqual(range(base));
    expect(crash(base)).toEqual(crash(base));
    expect(trend({ ...base, seed: 8, drift: 0.001 })).not.toEqual(trend({ ...base, drift: 0.001 }));
  });

  it('are well-formed series of the asked length, symbol and timeframe', () => {
    const layouts = [trend({ ...base, drift: 0.002, symbol: 'SOL/USDT', timeframe: '15m' }), range({ ...base, timeframe: '15m' }), crash({ ...base, timeframe: '15m' })];
    for (const candles of layouts) {
      expect(candles).toHaveLength(300);
      expectWellFormed(candles, 15 * 60_000);
    }
    expect(layouts[0]![0]).toMatchObject({ symbol: 'SOL/USDT', open: 100, time: T0 });
  });

  it('trend follows its drift, range stays near its start, crash falls where asked', () => {
    const up = trend({ ...base, drift: 0.005 });
    const down = trend({ ...base, drift: -0.005 });
    expect(up.at(-1)!.close).toBeGreaterThan(300);
    expect(down.at(-1)!.close).toBeLessThan(35);
    const sideways = range({ ...base, startPrice: 50 });
    for (const c of sideways) expect(Math.abs(Math.log(c.close / 50))).toBeLessThan(0.15);
    const fall = crash({ ...base, at: 200, dropPct: 40, over: 2, volatility: 0.002 });
    expect(fall[201]!.close / fall[199]!.close).toBeCloseTo(0.6, 1);
    expect(Math.abs(fall[199]!.close / fall[0]!.open - 1)).toBeLessThan(0.15);
  });

  it('refuse options that cannot make a series', () => {
    expect(() => trend({ ...base, length: 0, drift: 0 })).toThrow('length 0 must be a whole number of candles');
    expect(() => crash({ ...base, at: 300 })).toThrow('at 300 must be a candle index below length 300');
    expect(() => range({ ...base, seed: -1 })).toThrow('seed must be an integer');
  });
});
