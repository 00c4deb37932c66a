import { CandleColumns } from '../../../src/market/candle-columns';
import type { Candle } from '../../../src/market/types';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Candles at the given hours after T0, with prices that tell them apart. */
function candlesAt(hours: number[]): Candle[] {
  return hours.map((h) => ({ symbol: 'BTC/USDT', timeframe: '1h', time: T0 + h * HOUR, open: 100 + h, high: 110 + h, low: 90 + h, close: 105 + h, volume: 0.1 * h }));
}

const timesOf = (columns: CandleColumns): number[] => Array.from(columns.time, (t) => (t - T0) / HOUR);

describe('CandleColumns', () => {
  const given = candlesAt([0, 1, 2, 5, 6]);
  const columns = CandleColumns.fromCandles('BTC/USDT', '1h', given);

  it('gives back every candle as it was given, field for field', () => {
    expect(columns.length).toBe(5);
    expect(columns.toArray()).toEqual(given);
    expect([...columns]).toEqual(given);
    expect(columns.at(3)).toEqual({ symbol: 'BTC/USDT', timeframe: '1h', time: T0 + 5 * HOUR, open: 105, high: 115, low: 95, close: 110, volume: 0.5 });
  });

  it('keeps doubles exactly, not rounded to single precision', () => {
    const odd = { ...given[0]!, open: 0.1 + 0.2, close: 29_123.456789012345, volume: 1e-12 };
    const back = CandleColumns.fromCandles('BTC/USDT', '1h', [odd]).at(0);
    expect(back.open).toBe(0.1 + 0.2);
    expect(back.close).toBe(29_123.456789012345);
    expect(back.volume).toBe(1e-12);
  });

  it('labels candles with its own symbol and timeframe', () => {
    const relabelled = CandleColumns.fromCandles('ETH/EUR', '1h', given);
    expect(relabelled.toArray().every((c) => c.symbol === 'ETH/EUR' && c.timeframe === '1h')).toBe(true);
  });

  it('builds a new object on every read, so a caller changing one changes nothing else', () => {
    const first = columns.at(0);
    first.close = -1;
    expect(columns.at(0)).not.toBe(first);
    expect(columns.at(0).close).toBe(105);
  });

  it('refuses a row that does not exist rather than making up a candle of NaN', () => {
    expect(() => columns.at(5)).toThrow(new RangeError('candle 5 does not exist: there are 5'));
    expect(() => columns.at(-1)).toThrow(RangeError);
    expect(() => columns.at(0.5)).toThrow(RangeError);
  });

  it('finds the first candle at or after a time, between candles and past either end', () => {
    expect(columns.firstAtOrAfter(T0 - HOUR)).toBe(0);
    expect(columns.firstAtOrAfter(T0)).toBe(0);
    expect(columns.firstAtOrAfter(T0 + 1)).toBe(1);
    expect(columns.firstAtOrAfter(T0 + 3 * HOUR)).toBe(3);
    expect(columns.firstAtOrAfter(T0 + 6 * HOUR)).toBe(4);
    expect(columns.firstAtOrAfter(T0 + 7 * HOUR)).toBe(5);
  });

  it('finds the first candle after a time, a time between whole ms included', () => {
    expect(columns.firstAfter(T0 - 1)).toBe(0);
    expect(columns.firstAfter(T0)).toBe(1);
    expect(columns.firstAfter(T0 + HOUR - 0.5)).toBe(1);
    expect(columns.firstAfter(T0 + 2 * HOUR)).toBe(3);
    expect(columns.firstAfter(T0 + 6 * HOUR)).toBe(5);
  });

  it('takes the candles within two times, both included, as a view on the same rows', () => {
    const within = columns.within(T0 + HOUR, T0 + 5 * HOUR);
    expect(timesOf(within)).toEqual([1, 2, 5]);
    expect(within.at(0)).toEqual(given[1]);
    expect(within.close.buffer).toBe(columns.close.buffer);
    expect(timesOf(columns.within(T0 + 3 * HOUR, T0 + 4 * HOUR))).toEqual([]);
    expect(timesOf(columns.within(T0 + 2.5 * HOUR, T0 + 5.5 * HOUR))).toEqual([5]);
  });

  it('is its own slice when the slice is all of it', () => {
    expect(columns.within(T0, T0 + 6 * HOUR)).toBe(columns);
    expect(columns.slice(0)).toBe(columns);
    expect(timesOf(columns.slice(1, 3))).toEqual([1, 2]);
  });

  it('holds an empty series', () => {
    const empty = CandleColumns.fromCandles('BTC/USDT', '1h', []);
    expect(empty.length).toBe(0);
    expect(empty.toArray()).toEqual([]);
    expect(empty.firstAtOrAfter(T0)).toBe(0);
  });

  it('refuses columns of different lengths', () => {
    const five = new Float64Array(5);
    expect(() => new CandleColumns('BTC/USDT', '1h', five, five, five, five, new Float64Array(4), five)).toThrow(
      new RangeError('candle columns must have one length, got 4 and 5'),
    );
  });
});
