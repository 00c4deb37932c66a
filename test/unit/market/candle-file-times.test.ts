import { epochMs, formatDuration, parseTimeText } from '../../../src/market/candle-time';
import { findGaps } from '../../../src/market/gaps';

const T0 = Date.UTC(2021, 0, 1);

describe('parseTimeText', () => {
  it.each([
    ['1609459200000', T0],
    ['1609459200', T0],
    ['1609459200.5', T0 + 500],
    ['2021-01-01', T0],
    ['2021-01-01T00:00:00Z', T0],
    ['2021-01-01T00:00:00z', T0],
    ['2021-01-01T01:30:00', T0 + 5_400_000],
    ['2021-01-01 01:30', T0 + 5_400_000],
    ['2021-01-01T03:00:00+02:00', T0 + 3_600_000],
    ['2020-12-31T19:00:00-0500', T0],
    ['2021-12-31 23:01:00.000000', Date.UTC(2021, 11, 31, 23, 1)],
    ['2021-01-01T00:00:00.25Z', T0 + 250],
    ['2021-01-01 12-AM', T0],
    ['2021-01-01 12-PM', T0 + 12 * 3_600_000],
    ['2021-01-01 01-pm', T0 + 13 * 3_600_000],
  ])('reads %s', (text, ms) => {
    expect(parseTimeText(text)).toBe(ms);
  });

  it.each(['', 'yesterday', '2021-02-30', '2021-13-01', '2021-01-01T24:00:00Z', '2021-01-01 13-PM', '1e12', '-1609459200', '1969-12-31', '2021-01-01T00:00:00+25:00'])(
    'refuses %j',
    (text) => {
      expect(parseTimeText(text)).toBeUndefined();
    },
  );
});

describe('epochMs', () => {
  it('takes numbers below 1e11 for seconds and larger ones for ms', () => {
    expect(epochMs(99_999_999_999)).toBe(99_999_999_999_000);
    expect(epochMs(100_000_000_000)).toBe(100_000_000_000);
  });

  it('refuses negative times, fractional ms and µs or ns timestamps', () => {
    expect(epochMs(-1)).toBeUndefined();
    expect(epochMs(1609459200000.5)).toBeUndefined();
    expect(epochMs(1609459200000000)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('uses the largest unit that divides the length', () => {
    expect([86_400_000 * 3, 7_200_000, 300_000, 90_000, 1500].map(formatDuration)).toEqual(['3d', '2h', '5m', '90s', '1500 ms']);
  });
});

describe('findGaps', () => {
  const minute = 60_000;
  const at = (...minutes: number[]): { time: number }[] => minutes.map((m) => ({ time: T0 + m * minute }));

  it('finds nothing in an unbroken series', () => {
    expect(findGaps(at(0, 1, 2, 3), minute)).toEqual([]);
  });

  it('reports each gap between the candles around it with the periods missing', () => {
    expect(findGaps(at(0, 1, 3, 4, 8), minute)).toEqual([
      { from: T0 + minute, to: T0 + 3 * minute, missing: 1 },
      { from: T0 + 4 * minute, to: T0 + 8 * minute, missing: 3 },
    ]);
  });

  it('counts a partial period as missing', () => {
    expect(findGaps([{ time: 0 }, { time: 90_000 }], minute)).toEqual([{ from: 0, to: 90_000, missing: 1 }]);
  });
});
