import { Rng } from '../market/rng';
import type { Candle } from '../market/types';
import { resolveLayout, type SeriesLayout } from './series-layout';

export interface SyntheticOptions extends SeriesLayout {
  /** Same seed, same candles: an integer from 0 to 4294967295. */
  seed: number;
  /** Number of candles. */
  length: number;
  /** Standard deviation of one candle's log return: 0.01 is about 1 % a candle. */
  volatility: number;
  /** Open of the first candle; default 100. */
  startPrice?: number;
}

export interface TrendOptions extends SyntheticOptions {
  /** Mean log return per candle: 0.002 rises about 0.2 % a candle, a negative drift falls. */
  drift: number;
}

export interface RangeOptions extends SyntheticOptions {
  /** Share of the (log) distance back to startPrice closed every candle; default 0.1. */
  reversion?: number;
}

export interface CrashOptions extends SyntheticOptions {
  /** Index of the first falling candle; default 70 % into the series, after a calm stretch. */
  at?: number;
  /** How far the price falls over the crash, in percent; default 30. */
  dropPct?: number;
  /** Candles the fall takes; default 3. */
  over?: number;
}

/** A random walk that drifts: an uptrend for drift > 0, a downtrend for drift < 0. */
export function trend(options: TrendOptions): Candle[] {
  const { drift, volatility } = options;
  requireFinite('drift', drift);
  return synthesize(options, (_i, _distance, rng) => drift + volatility * rng.normal());
}

/** A random walk pulled back toward its start price: a sideways market. */
export function range(options: RangeOptions): Candle[] {
  const reversion = options.reversion ?? 0.1;
  if (!(reversion >= 0 && reversion <= 1)) throw new RangeError(`reversion ${reversion} must be between 0 and 1`);
  return synthesize(options, (_i, distance, rng) => -reversion * distance + options.volatility * rng.normal());
}

/** A calm random walk, then a fall of dropPct over a few candles, then calm again. */
export function crash(options: CrashOptions): Candle[] {
  const at = options.at ?? Math.floor(options.length * 0.7);
  const over = options.over ?? 3;
  const dropPct = options.dropPct ?? 30;
  if (!Number.isInteger(at) || at < 0 || at >= options.length) throw new RangeError(`at ${at} must be a candle index below length ${options.length}`);
  if (!Number.isInteger(over) || over < 1) throw new RangeError(`over ${over} must be a whole number of candles, 1 or more`);
  if (!(dropPct > 0 && dropPct < 100)) throw new RangeError(`dropPct ${dropPct} must be above 0 and below 100`);
  const fallPerCandle = Math.log(1 - dropPct / 100) / over;
  return synthesize(options, (i, _distance, rng) => (i >= at && i < at + over ? fallPerCandle : 0) + options.volatility * rng.normal());
}

/** One candle's log return, from its index, the log distance of its open from the start price and the generator. */
type LogReturn = (index: number, logDistance: number, rng: Rng) => number;

function synthesize(options: SyntheticOptions, logReturn: LogReturn): Candle[] {
  const { length, volatility } = options;
  const startPrice = options.startPrice ?? 100;
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`length ${length} must be a whole number of candles, 1 or more`);
  if (!(volatility >= 0 && volatility < Infinity)) throw new RangeError(`volatility ${volatility} must be a finite number, 0 or more`);
  if (!(startPrice > 0 && startPrice < Infinity)) throw new RangeError(`startPrice ${startPrice} must be a positive price`);
  const { symbol, timeframe, start, stepMs } = resolveLayout(options);
  const rng = new Rng(options.seed);
  let close = startPrice;
  const candles = new Array<Candle>(length);
  for (let i = 0; i < length; i++) {
    const open = close;
    close = open * Math.exp(logReturn(i, Math.log(open / startPrice), rng));
    // Wicks of about half a candle's volatility, so stops and take-profits inside a candle get exercised.
    const high = Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * volatility * 0.5);
    const low = Math.min(open, close) * Math.exp(-Math.abs(rng.normal()) * volatility * 0.5);
    const volume = 1000 * Math.exp(0.3 * rng.normal());
    candles[i] = { symbol, timeframe, time: start + i * stepMs, open, high, low, close, volume };
  }
  return candles;
}

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} ${value} must be a finite number`);
}
