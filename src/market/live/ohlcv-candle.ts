import type { Candle } from '../types';
import type { OhlcvValues } from './types';

/**
 * The candle of a ccxt OHLCV row, or undefined when a value is missing or not finite: ccxt leaves values
 * undefined when the exchange omits them, and such a row is no candle to trade on. Prices are left for
 * the DataAgent's guard to judge.
 */
export function ohlcvCandle(symbol: string, timeframe: string, row: OhlcvValues): Candle | undefined {
  const [time, open, high, low, close, volume] = row;
  const values = [time, open, high, low, close, volume];
  if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return { symbol, timeframe, time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
}

/** Candles sorted by time, one per time: the last one given for a time wins, so pass the better source last. */
export function byTimeLastWins(candles: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const candle of candles) byTime.set(candle.time, candle);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}
