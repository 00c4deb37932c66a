import { CandleHistory } from '../../../src/market/candle-history';
import type { Candle } from '../../../src/market/types';

function candle(time: number, symbol = 'BTC/USDT', timeframe = '1m'): Candle {
  return { symbol, timeframe, time, open: 1, high: 1, low: 1, close: 1, volume: 1 };
}

const times = (candles: Candle[]) => candles.map((c) => c.time);

describe('CandleHistory', () => {
  it('keeps only the last N candles, oldest first', () => {
    const history = new CandleHistory(3);
    for (let t = 1; t <= 5; t++) history.add(candle(t));
    expect(times(history.get('BTC/USDT', '1m'))).toEqual([3, 4, 5]);
    expect(history.size('BTC/USDT', '1m')).toBe(3);
  });

  it('returns everything kept before it is full', () => {
    const history = new CandleHistory(10);
    for (let t = 1; t <= 4; t++) history.add(candle(t));
    expect(times(history.get('BTC/USDT', '1m'))).toEqual([1, 2, 3, 4]);
    expect(history.size('BTC/USDT', '1m')).toBe(4);
  });

  it('returns the last `limit` candles, all of them when the limit exceeds what is kept, none for 0', () => {
    const history = new CandleHistory(5);
    for (let t = 1; t <= 8; t++) history.add(candle(t));
    expect(times(history.get('BTC/USDT', '1m', 2))).toEqual([7, 8]);
    expect(times(history.get('BTC/USDT', '1m', 50))).toEqual([4, 5, 6, 7, 8]);
    expect(history.get('BTC/USDT', '1m', 0)).toEqual([]);
    expect(history.get('BTC/USDT', '1m', -3)).toEqual([]);
  });

  it('stays in order after wrapping around many times', () => {
    const history = new CandleHistory(7);
    for (let t = 1; t <= 1000; t++) {
      history.add(candle(t));
      const expected = Array.from({ length: Math.min(t, 7) }, (_, i) => t - Math.min(t, 7) + 1 + i);
      expect(times(history.get('BTC/USDT', '1m'))).toEqual(expected);
    }
  });

  it('keeps each symbol and timeframe apart', () => {
    const history = new CandleHistory(2);
    history.add(candle(1, 'BTC/USDT', '1m'));
    history.add(candle(2, 'ETH/USDT', '1m'));
    history.add(candle(3, 'BTC/USDT', '5m'));
    history.add(candle(4, 'BTC/USDT', '1m'));
    expect(times(history.get('BTC/USDT', '1m'))).toEqual([1, 4]);
    expect(times(history.get('ETH/USDT', '1m'))).toEqual([2]);
    expect(times(history.get('BTC/USDT', '5m'))).toEqual([3]);
    expect(history.get('SOL/USDT', '1m')).toEqual([]);
    expect(history.size('SOL/USDT', '1m')).toBe(0);
    expect(history.size('BTC/USDT', '5m')).toBe(1);
  });

  it('hands out a new array each time, so callers cannot disturb what it keeps', () => {
    const history = new CandleHistory(3);
    history.add(candle(1));
    history.add(candle(2));
    const got = history.get('BTC/USDT', '1m');
    got.pop();
    got.push(candle(99));
    expect(times(history.get('BTC/USDT', '1m'))).toEqual([1, 2]);
  });

  it('hands out one series per symbol and timeframe, the same buffer every time, that add() fills', () => {
    const history = new CandleHistory(3);
    const btc = history.seriesOf(candle(1));
    expect(btc.size).toBe(0);
    expect(btc.newest()).toBeUndefined();
    // Another candle of the same symbol and timeframe: the same buffer, whatever its time.
    expect(history.seriesOf(candle(99))).toBe(btc);
    const eth = history.seriesOf(candle(1, 'ETH/USDT'));
    const btc5m = history.seriesOf(candle(1, 'BTC/USDT', '5m'));
    expect(eth).not.toBe(btc);
    expect(btc5m).not.toBe(btc);
    expect(btc5m).not.toBe(eth);

    history.add(candle(10));
    history.add(candle(20));
    expect(btc.size).toBe(2);
    expect(btc.newest()?.time).toBe(20);
    expect(eth.size).toBe(0);
    expect(btc5m.size).toBe(0);

    // Pushing to the series is keeping the candle: get() and size() see it.
    const pushed = candle(30);
    btc.push(pushed);
    expect(times(history.get('BTC/USDT', '1m'))).toEqual([10, 20, 30]);
    expect(history.get('BTC/USDT', '1m')[2]).toBe(pushed);
    expect(history.size('BTC/USDT', '1m')).toBe(3);
    expect(history.size('ETH/USDT', '1m')).toBe(0);
  });

  it('makes each series with the history capacity', () => {
    const history = new CandleHistory(2);
    const series = history.seriesOf(candle(1));
    expect(series.capacity).toBe(2);
    for (let t = 1; t <= 4; t++) history.add(candle(t));
    expect(times(series.last())).toEqual([3, 4]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new CandleHistory(0)).toThrow(/positive integer/);
    expect(() => new CandleHistory(2.5)).toThrow(/positive integer/);
  });
});
