import { CandleColumns } from '../market/candle-columns';
import type { CandleSeries } from '../market/candle-file';
import { candleProblem } from '../market/candle-rows';
import { findTimeGaps } from '../market/gaps';
import { splitSymbol } from '../market/symbols';
import { isTimeframe, timeframeMs, TIMEFRAMES } from '../market/timeframe';
import type { Candle } from '../market/types';

export interface SeriesRelabel {
  /** Plays the candles as this symbol instead of their own. */
  symbol?: string;
  /** Plays the candles as this timeframe instead of their own. */
  timeframe?: string;
}

/**
 * The candles a test hands in, checked as strictly as `backtest` checks a file (one symbol and timeframe,
 * times rising by whole periods, sane prices), because the engine assumes all of it and would otherwise
 * fail far from the cause. Gives the series to play and the candles as played: the caller's own candle
 * objects unless a relabel needs new ones.
 */
export function playedSeries(candles: readonly Candle[], relabel: SeriesRelabel = {}): { series: CandleSeries; played: readonly Candle[] } {
  const first = candles[0];
  if (first === undefined) throw new RangeError('no candles given: a run needs at least one');
  const symbol = relabel.symbol ?? first.symbol;
  const timeframe = relabel.timeframe ?? first.timeframe;
  splitSymbol(symbol);
  if (!isTimeframe(timeframe)) throw new RangeError(`timeframe "${timeframe}" is not one of ${TIMEFRAMES.join(', ')}`);
  const stepMs = timeframeMs(timeframe);
  candles.forEach((candle, i) => {
    if (relabel.symbol === undefined && candle.symbol !== symbol) throw new RangeError(`candle ${i} is ${candle.symbol} but candle 0 is ${symbol}: give one symbol's candles (or the symbol option)`);
    if (relabel.timeframe === undefined && candle.timeframe !== timeframe) throw new RangeError(`candle ${i} is on ${candle.timeframe} but candle 0 is on ${timeframe}: give one timeframe's candles (or the timeframe option)`);
    if (!Number.isFinite(candle.time)) throw new RangeError(`candle ${i} has time ${candle.time}, not ms since 1970`);
    const problem = candleProblem(candle.open, candle.high, candle.low, candle.close, candle.volume);
    if (problem !== undefined) throw new RangeError(`candle ${i}: ${problem}`);
    const before = candles[i - 1];
    if (before === undefined) return;
    const step = candle.time - before.time;
    if (step <= 0 || step % stepMs !== 0) {
      throw new RangeError(`candle ${i} opens ${step} ms after candle ${i - 1}: candles must rise in time by whole ${timeframe} periods`);
    }
  });
  const played = relabel.symbol === undefined && relabel.timeframe === undefined ? [...candles] : candles.map((c) => ({ ...c, symbol, timeframe }));
  const columns = CandleColumns.fromCandles(symbol, timeframe, played);
  return {
    series: { file: 'the candles given to the testkit', symbol, timeframe, candles: columns, gaps: findTimeGaps(columns.time, stepMs) },
    played,
  };
}
