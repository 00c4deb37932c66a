import { barsPerSymbol, reportBars, reportEquityPoints } from '../../../src/backtest/report-thinning';
import type { ReportEquityPoint } from '../../../src/backtest/report-data';
import { CandleColumns } from '../../../src/market/candle-columns';
import type { Candle } from '../../../src/market/types';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** 1m candles at the given minutes after T0; candle m opens at 100 + m, spans 3 above and 2 below, closes 1 up. */
function minutes(at: number[]): CandleColumns {
  const candles = at.map((m): Candle => ({ symbol: 'BTC/USDT', timeframe: '1m', time: T0 + m * MINUTE, open: 100 + m, high: 103 + m, low: 98 + m, close: 101 + m, volume: 1 }));
  return CandleColumns.fromCandles('BTC/USDT', '1m', candles);
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('reportBars', () => {
  it('draws every candle as its own bar when there are no more than the limit', () => {
    const { rows, periodsPerBar } = reportBars(minutes([0, 1, 2]), 3);
    expect(periodsPerBar).toBe(1);
    expect(rows).toEqual([
      [T0 / 1000, 100, 103, 98, 101],
      [(T0 + MINUTE) / 1000, 101, 104, 99, 102],
      [(T0 + 2 * MINUTE) / 1000, 102, 105, 100, 103],
    ]);
  });

  it('merges consecutive periods into bars: first open, highest high, lowest low, last close', () => {
    // 10 minutes, at most 4 bars: ceil(10 / 4) = 3 minutes a bar, cut at minutes 0, 3, 6, 9.
    const { rows, periodsPerBar } = reportBars(minutes(range(10)), 4);
    expect(periodsPerBar).toBe(3);
    expect(rows).toEqual([
      [T0 / 1000, 100, 105, 98, 103],
      [(T0 + 3 * MINUTE) / 1000, 103, 108, 101, 106],
      [(T0 + 6 * MINUTE) / 1000, 106, 111, 104, 109],
      [(T0 + 9 * MINUTE) / 1000, 109, 112, 107, 110],
    ]);
  });

  it('takes the extremes wherever they fall inside a bar', () => {
    const candles: Candle[] = [
      { symbol: 'X/Y', timeframe: '1m', time: T0, open: 10, high: 11, low: 9, close: 10, volume: 1 },
      { symbol: 'X/Y', timeframe: '1m', time: T0 + MINUTE, open: 10, high: 30, low: 2, close: 12, volume: 1 },
      { symbol: 'X/Y', timeframe: '1m', time: T0 + 2 * MINUTE, open: 12, high: 13, low: 11, close: 11.5, volume: 1 },
    ];
    expect(reportBars(CandleColumns.fromCandles('X/Y', '1m', candles), 1).rows).toEqual([[T0 / 1000, 10, 30, 2, 11.5]]);
  });

  it('cuts bars on the clock, so a gap leaves no bar and does not shift the bars after it', () => {
    // Minutes 0-3 and 8-11, at most 4 bars over a 12-minute span: 3 minutes a bar, cut at 0, 3, 6, 9.
    const { rows, periodsPerBar } = reportBars(minutes([0, 1, 2, 3, 8, 9, 10, 11]), 4);
    expect(periodsPerBar).toBe(3);
    expect(rows.map((r) => (r[0] * 1000 - T0) / MINUTE)).toEqual([0, 3, 8, 9]);
    // The bar of minutes 6-8 holds only minute 8 and carries its time, so a fill at minute 8 lands on it.
    expect(rows[2]).toEqual([(T0 + 8 * MINUTE) / 1000, 108, 111, 106, 109]);
  });

  it('never draws more bars than the limit', () => {
    for (const [count, limit] of [[1_000, 7], [1_001, 1_000], [99, 98], [12_345, 100]] as const) {
      const { rows } = reportBars(minutes(range(count)), limit);
      expect(rows.length).toBeLessThanOrEqual(limit);
      expect(rows[rows.length - 1]![4]).toBe(101 + count - 1);
    }
  });

  it('draws nothing for a symbol without candles', () => {
    expect(reportBars(undefined)).toEqual({ rows: [], periodsPerBar: 1 });
    expect(reportBars(minutes([]))).toEqual({ rows: [], periodsPerBar: 1 });
  });
});

describe('reportEquityPoints', () => {
  const curve = (equities: number[]): ReportEquityPoint[] => {
    let peak = -Infinity;
    return equities.map((equity, i) => {
      peak = Math.max(peak, equity);
      return { time: T0 + i * MINUTE, equity, drawdownPct: ((peak - equity) / peak) * 100 };
    });
  };

  it('keeps every point when there are no more than the limit', () => {
    const points = curve([100, 101, 99]);
    expect(reportEquityPoints(points, 3)).toBe(points);
  });

  it('keeps the first point, and each stretch’s peak, deepest drawdown and last point, in time order', () => {
    // 1 + 3 x 3 = 10 points at most: 3 stretches of the 30 points (0-9, 10-19, 20-29; the first point apart).
    const equities = range(30, 100);
    equities[4] = 200; // the peak of the first stretch
    equities[15] = 50; // the worst fall, in the second stretch
    const points = curve(equities);
    const kept = reportEquityPoints(points, 10);
    expect(kept.length).toBeLessThanOrEqual(10);
    const times = kept.map((p) => (p.time - T0) / MINUTE);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    expect(times).toEqual(expect.arrayContaining([0, 4, 15, 29]));
    expect(Math.max(...kept.map((p) => p.equity))).toBe(200);
    expect(Math.max(...kept.map((p) => p.drawdownPct))).toBe(Math.max(...points.map((p) => p.drawdownPct)));
  });

  it('never keeps more than the limit, and always the last point', () => {
    const points = curve(range(100_003).map((i) => 1_000 + Math.sin(i / 50) * 100));
    for (const limit of [4, 10, 999, 100_000]) {
      const kept = reportEquityPoints(points, limit);
      expect(kept.length).toBeLessThanOrEqual(limit);
      expect(kept[kept.length - 1]).toBe(points[points.length - 1]);
      expect(kept[0]).toBe(points[0]);
    }
  });

  it('refuses a limit too small to hold the first point and one stretch', () => {
    expect(() => reportEquityPoints(curve(range(10)), 3)).toThrow(new RangeError('the report needs room for at least 4 equity points, got 3'));
  });
});

describe('barsPerSymbol', () => {
  it('shares 200,000 bars out over the symbols, 100,000 at most and 20,000 at least each', () => {
    expect([1, 2, 3, 10, 11, 50].map(barsPerSymbol)).toEqual([100_000, 100_000, 66_666, 20_000, 20_000, 20_000]);
  });
});
