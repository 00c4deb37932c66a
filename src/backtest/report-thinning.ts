/**
 * What the HTML report draws of a long backtest. A chart cannot show millions of bars, a browser chokes on
 * the data, and V8 cannot even build the JSON of ten million candles (its strings stop at 2^29 characters).
 * So a long series is drawn coarser: candles merged into bars of several periods, equity points thinned to
 * the ones that shape the curve. The CSV files keep every row.
 */
import type { CandleColumns } from '../market/candle-columns';
import { timeframeMs } from '../market/timeframe';
import { seconds, type CandleRow, type ReportEquityPoint } from './report-rows';

/** Bars drawn per symbol at most. */
export const MAX_REPORT_BARS = 100_000;
/**
 * Bars drawn over all symbols at most, shared out evenly but never fewer than MIN_REPORT_BARS a symbol: ten
 * symbols of 100,000 bars made a 50 MB page that took a second to write and longer for a browser to open,
 * of which one symbol's chart is shown at a time.
 */
export const MAX_REPORT_BARS_TOTAL = 200_000;
export const MIN_REPORT_BARS = 20_000;

/** The bars a symbol may have when `symbols` are drawn. */
export function barsPerSymbol(symbols: number): number {
  return Math.min(MAX_REPORT_BARS, Math.max(MIN_REPORT_BARS, Math.floor(MAX_REPORT_BARS_TOTAL / Math.max(1, symbols))));
}
/** Equity points drawn at most. */
export const MAX_REPORT_EQUITY_POINTS = 100_000;
/** Trades listed and marked at most: a table row is some 250 characters of HTML, and a run can make millions. */
export const MAX_REPORT_TRADES = 20_000;

export interface ReportBars {
  rows: CandleRow[];
  /** Periods of the series' timeframe per bar: 1 when every candle is its own bar. */
  periodsPerBar: number;
}

/**
 * The candles as at most `maxBars` bars [time s, open, high, low, close]. Past that, k consecutive periods
 * make one bar, as a coarser timeframe would: the open of its first candle, the highest high, the lowest low,
 * the close of its last. Bars are cut on the clock from the first candle's time, so a gap in the data does
 * not shift the bars after it, and a bar carries the time of its first candle: a trade marker, placed on the
 * last bar that opens at or before the fill, still lands on the bar holding the fill.
 */
export function reportBars(columns: CandleColumns | undefined, maxBars = MAX_REPORT_BARS): ReportBars {
  if (columns === undefined || columns.length === 0) return { rows: [], periodsPerBar: 1 };
  const { time, open, high, low, close, length } = columns;
  if (length <= maxBars) {
    return { rows: Array.from(time, (t, i): CandleRow => [seconds(t), open[i]!, high[i]!, low[i]!, close[i]!]), periodsPerBar: 1 };
  }
  const periodMs = timeframeMs(columns.timeframe);
  const first = time[0]!;
  const spanPeriods = Math.floor((time[length - 1]! - first) / periodMs) + 1;
  const periodsPerBar = Math.ceil(spanPeriods / maxBars);
  const barMs = periodsPerBar * periodMs;
  const rows: CandleRow[] = [];
  let bucket = -1;
  let row: CandleRow = [0, 0, 0, 0, 0];
  for (let i = 0; i < length; i++) {
    const b = Math.floor((time[i]! - first) / barMs);
    if (b !== bucket) {
      bucket = b;
      row = [seconds(time[i]!), open[i]!, high[i]!, low[i]!, close[i]!];
      rows.push(row);
      continue;
    }
    if (high[i]! > row[2]) row[2] = high[i]!;
    if (low[i]! < row[3]) row[3] = low[i]!;
    row[4] = close[i]!;
  }
  return { rows, periodsPerBar };
}

/**
 * At most `maxPoints` of the points, in time order. Past that, the points are cut into runs of equal length
 * and each run keeps its highest equity, its deepest drawdown and its last point, so the drawn curve keeps
 * its peaks, its worst fall and its end. The first point is always kept.
 */
export function reportEquityPoints(points: readonly ReportEquityPoint[], maxPoints = MAX_REPORT_EQUITY_POINTS): readonly ReportEquityPoint[] {
  if (points.length <= maxPoints) return points;
  const kept = keptEquityIndices(
    points.length,
    (i) => points[i]!.equity,
    (i) => points[i]!.drawdownPct,
    maxPoints,
  );
  return kept.map((i) => points[i]!);
}

/** The indices reportEquityPoints keeps of a curve held as columns: all of them up to `maxPoints`. */
export function keptEquityIndices(
  length: number,
  equityAt: (i: number) => number,
  drawdownAt: (i: number) => number,
  maxPoints = MAX_REPORT_EQUITY_POINTS,
): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  if (maxPoints < 4) throw new RangeError(`the report needs room for at least 4 equity points, got ${maxPoints}`);
  // The first point, then three per run.
  const runs = Math.floor((maxPoints - 1) / 3);
  const kept: number[] = [0];
  for (let r = 0; r < runs; r++) {
    const start = Math.max(1, Math.floor((r * length) / runs));
    const end = Math.floor(((r + 1) * length) / runs);
    if (start >= end) continue;
    let highest = start;
    let deepest = start;
    let highestEquity = equityAt(start);
    let deepestFall = Math.abs(drawdownAt(start));
    for (let i = start + 1; i < end; i++) {
      const equity = equityAt(i);
      const fall = Math.abs(drawdownAt(i));
      if (equity > highestEquity) {
        highest = i;
        highestEquity = equity;
      }
      if (fall > deepestFall) {
        deepest = i;
        deepestFall = fall;
      }
    }
    for (const index of [highest, deepest, end - 1].sort((a, b) => a - b)) {
      if (index !== kept[kept.length - 1]) kept.push(index);
    }
  }
  return kept;
}
