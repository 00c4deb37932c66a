import { loadCandleFile, type CandleFileHint } from '../market/candle-file';
import { candleProblem } from '../market/candle-rows';
import type { Candle } from '../market/types';
import { resolveLayout, toTimeMs, type SeriesLayout } from './series-layout';

export { crash, range, trend, type CrashOptions, type RangeOptions, type SyntheticOptions, type TrendOptions } from './synthetic-series';
export type { SeriesLayout } from './series-layout';

export interface ClosesOptions extends SeriesLayout {
  /** Open of the first candle; default its own close (every later candle opens at the previous close). */
  firstOpen?: number;
  /** How far high and low reach beyond the body, in percent of price; default 0, so high and low are the body's ends and stops can be worked out by hand. */
  wickPct?: number;
  /** Volume of every candle; default 1. */
  volume?: number;
}

/**
 * Candles whose closes are `closes`, one period apart: each opens at the previous close (a market with no
 * gaps between candles), so a signal on candle i fills at candle i + 1's open, which is candle i's close.
 */
export function candlesFromCloses(closes: readonly number[], options: ClosesOptions = {}): Candle[] {
  const { symbol, timeframe, start, stepMs } = resolveLayout(options);
  const wick = (options.wickPct ?? 0) / 100;
  if (!(wick >= 0 && wick < 1)) throw new RangeError(`wickPct ${String(options.wickPct)} must be at least 0 and below 100`);
  const volume = options.volume ?? 1;
  let open = options.firstOpen ?? closes[0] ?? NaN;
  return closes.map((close, i) => {
    // Checked alone first: a bad close would otherwise be reported as the bad low or high it leads to.
    if (!(close > 0 && close < Infinity)) throw new RangeError(`candle ${i}: close ${close} is not a positive price`);
    const candle: Candle = {
      symbol,
      timeframe,
      time: start + i * stepMs,
      open,
      high: Math.max(open, close) * (1 + wick),
      low: Math.min(open, close) * (1 - wick),
      close,
      volume,
    };
    checkCandle(candle, i);
    open = close;
    return candle;
  });
}

/** [open, high, low, close] or [open, high, low, close, volume]. */
export type OhlcvTuple = readonly [number, number, number, number] | readonly [number, number, number, number, number];
/** A row as an object; without `time` it sits one period after the row before it. */
export interface OhlcvObject {
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
  time?: number | string | Date;
}
export type OhlcvRow = OhlcvTuple | OhlcvObject;

/** Candles from OHLC(V) rows, one period apart from `start` unless a row gives its own time; volume defaults to 1. */
export function candlesFromRows(rows: readonly OhlcvRow[], options: SeriesLayout = {}): Candle[] {
  const { symbol, timeframe, start, stepMs } = resolveLayout(options);
  let previousTime: number | undefined;
  return rows.map((row, i) => {
    const fields = isTuple(row)
      ? { open: row[0], high: row[1], low: row[2], close: row[3], volume: row[4] ?? 1, time: undefined }
      : { ...row, volume: row.volume ?? 1 };
    const time = fields.time === undefined ? (previousTime === undefined ? start : previousTime + stepMs) : toTimeMs(fields.time, `row ${i} time`);
    if (previousTime !== undefined && time <= previousTime) {
      throw new RangeError(`row ${i}: its time ${new Date(time).toISOString()} is not after the row before it (${new Date(previousTime).toISOString()})`);
    }
    previousTime = time;
    const candle: Candle = { symbol, timeframe, time, open: fields.open, high: fields.high, low: fields.low, close: fields.close, volume: fields.volume };
    checkCandle(candle, i);
    return candle;
  });
}

/** The candles of a ccxt OHLCV JSON or CSV file, read exactly as `backtest --data` reads them. */
export function candlesFromFile(file: string, hint: CandleFileHint = {}): Candle[] {
  return loadCandleFile(file, hint).candles.toArray();
}

function isTuple(row: OhlcvRow): row is OhlcvTuple {
  return Array.isArray(row);
}

function checkCandle(candle: Candle, index: number): void {
  const problem = candleProblem(candle.open, candle.high, candle.low, candle.close, candle.volume);
  if (problem !== undefined) throw new RangeError(`candle ${index}: ${problem}`);
}
