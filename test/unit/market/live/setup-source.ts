import { CcxtLiveSource, type CcxtLiveSourceOptions } from '../../../../src/market/live/ccxt-live-source';
import { at, FakeLiveExchange, SYMBOL, TF } from './fake-live-exchange';
import { Recorder } from './recorder';
import { SteppingClock } from './stepping-clock';

export interface Setup {
  clock: SteppingClock;
  exchange: FakeLiveExchange;
  source: CcxtLiveSource;
  rec: Recorder;
}

/** A source over a fake exchange, the clock 20 s into candle 10 (candles 0..9 closed). */
export function setupSource(options: Partial<CcxtLiveSourceOptions> = {}, prepare?: (exchange: FakeLiveExchange) => void, start = at(10) + 20_000): Setup {
  const clock = new SteppingClock(start);
  const exchange = new FakeLiveExchange(clock);
  prepare?.(exchange);
  const source = new CcxtLiveSource({ exchange, clock, symbols: [SYMBOL], timeframe: TF, ...options });
  return { clock, exchange, source, rec: new Recorder() };
}

export const candleTimes = (rec: Recorder, symbol?: string): number[] => rec.candles(symbol).map((c) => c.time);

/** Open times from candle `first` to `last`, inclusive. */
export const range = (first: number, last: number): number[] => Array.from({ length: last - first + 1 }, (_, i) => at(first + i));
