import { alignToTimeframe, TIMEFRAMES, timeframeMs } from '../../../src/market/timeframe';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('timeframeMs', () => {
  it.each([
    ['1m', MINUTE],
    ['3m', 3 * MINUTE],
    ['5m', 5 * MINUTE],
    ['15m', 15 * MINUTE],
    ['30m', 30 * MINUTE],
    ['1h', HOUR],
    ['2h', 2 * HOUR],
    ['4h', 4 * HOUR],
    ['6h', 6 * HOUR],
    ['8h', 8 * HOUR],
    ['12h', 12 * HOUR],
    ['1d', DAY],
    ['3d', 3 * DAY],
    ['1w', 7 * DAY],
  ])('%s lasts %d ms', (tf, ms) => {
    expect(timeframeMs(tf)).toBe(ms);
  });

  it('lists every supported timeframe, shortest first', () => {
    expect(TIMEFRAMES).toEqual(['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w']);
  });

  it.each(['', '1M', '2m', '1H', 'toString', '60', ' 1m'])('rejects "%s" naming the timeframes it accepts', (tf) => {
    expect(() => timeframeMs(tf)).toThrow(`unknown timeframe "${tf}"; use one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w`);
  });
});

describe('alignToTimeframe', () => {
  it('moves a time back to the open of the candle containing it', () => {
    expect(alignToTimeframe(Date.UTC(2024, 0, 1, 10, 7, 31), '5m')).toBe(Date.UTC(2024, 0, 1, 10, 5));
    expect(alignToTimeframe(Date.UTC(2024, 0, 1, 10, 5), '5m')).toBe(Date.UTC(2024, 0, 1, 10, 5));
    expect(alignToTimeframe(Date.UTC(2024, 0, 1, 23, 59), '1d')).toBe(Date.UTC(2024, 0, 1));
  });

  it('opens weekly candles on Monday 00:00 UTC, like the exchanges', () => {
    const wednesday = Date.UTC(2024, 0, 3, 15);
    const monday = Date.UTC(2024, 0, 1);
    expect(alignToTimeframe(wednesday, '1w')).toBe(monday);
    expect(alignToTimeframe(monday, '1w')).toBe(monday);
    expect(alignToTimeframe(monday - 1, '1w')).toBe(monday - 7 * DAY);
  });
});
