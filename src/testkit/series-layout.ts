import { parseTimeText } from '../market/candle-time';
import { timeframeMs } from '../market/timeframe';

/** Where a built series sits: its symbol, its timeframe and the open time of its first candle. */
export interface SeriesLayout {
  /** Default 'BTC/USDT'. */
  symbol?: string;
  /** ccxt-style timeframe; default '1h'. */
  timeframe?: string;
  /** Open time of the first candle: ms since 1970, a Date or ISO-8601 text (no zone means UTC); default 2024-01-01T00:00:00Z. */
  start?: number | string | Date;
}

export interface ResolvedLayout {
  symbol: string;
  timeframe: string;
  start: number;
  stepMs: number;
}

export const DEFAULT_SYMBOL = 'BTC/USDT';
export const DEFAULT_TIMEFRAME = '1h';
export const DEFAULT_START = Date.UTC(2024, 0, 1);

export function resolveLayout(layout: SeriesLayout = {}): ResolvedLayout {
  const timeframe = layout.timeframe ?? DEFAULT_TIMEFRAME;
  return {
    symbol: layout.symbol ?? DEFAULT_SYMBOL,
    timeframe,
    start: layout.start === undefined ? DEFAULT_START : toTimeMs(layout.start, 'start'),
    stepMs: timeframeMs(timeframe),
  };
}

/** ms since 1970 for a time given as a number, a Date or text; `what` names it in the error. */
export function toTimeMs(value: number | string | Date, what: string): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : parseTimeText(value.trim());
  if (ms === undefined || !Number.isFinite(ms)) throw new RangeError(`${what} ${String(value)} is not a time: give ms since 1970, a Date or ISO-8601 text`);
  return ms;
}
