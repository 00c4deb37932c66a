import { UserError } from '../../../src/core/errors';
import { CandleColumns } from '../../../src/market/candle-columns';
import type { CandleSeries } from '../../../src/market/candle-file';
import { findGaps } from '../../../src/market/gaps';
import { ReplayMarket } from '../../../src/market/replay-market';
import { timeframeMs } from '../../../src/market/timeframe';
import type { MarketEvent } from '../../../src/market/types';

const T0 = Date.UTC(2021, 0, 1);
const HOUR = 3_600_000;

/** A series with one candle at each of `steps` periods after T0. */
function series(symbol: string, steps: number[], timeframe = '1h'): CandleSeries {
  const step = timeframeMs(timeframe);
  const candles = steps.map((h) => ({ symbol, timeframe, time: T0 + h * step, open: 10 + h, high: 12 + h, low: 9 + h, close: 11 + h, volume: 1 }));
  return { file: `${symbol.replace('/', '_')}-${timeframe}.json`, symbol, timeframe, candles: CandleColumns.fromCandles(symbol, timeframe, candles), gaps: findGaps(candles, step) };
}

/** Each period as "SYMBOL@hour" labels, until the market ends. */
function playAll(market: ReplayMarket): string[][] {
  const periods: string[][] = [];
  for (let events = market.next(); events !== undefined; events = market.next()) periods.push(events.map(label));
  return periods;
}

function label(event: MarketEvent): string {
  if (event.kind !== 'candle') throw new Error(`expected only candle events, got a ${event.kind}`);
  return `${event.candle.symbol}@${(event.candle.time - T0) / HOUR}`;
}

function userError(make: () => unknown): string {
  try {
    make();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('no error thrown');
}

// BTC has a gap at hour 3; ETH starts two hours later and runs one hour longer.
const BTC = series('BTC/USDT', [0, 1, 2, 4, 5]);
const ETH = series('ETH/USDT', [2, 3, 4, 5, 6]);

describe('ReplayMarket', () => {
  it('plays every timestamp once, with a candle per symbol that has one then, in the order the series were given', () => {
    expect(playAll(new ReplayMarket([BTC, ETH]))).toEqual([
      ['BTC/USDT@0'],
      ['BTC/USDT@1'],
      ['BTC/USDT@2', 'ETH/USDT@2'],
      ['ETH/USDT@3'],
      ['BTC/USDT@4', 'ETH/USDT@4'],
      ['BTC/USDT@5', 'ETH/USDT@5'],
      ['ETH/USDT@6'],
    ]);
  });

  it('keeps the given series order within a period', () => {
    expect(playAll(new ReplayMarket([ETH, BTC]))[2]).toEqual(['ETH/USDT@2', 'BTC/USDT@2']);
  });

  it('hands out the candles of the series unchanged', () => {
    const events = new ReplayMarket([BTC]).next();
    expect(events).toEqual([{ kind: 'candle', candle: BTC.candles.at(0) }]);
  });

  it('stays ended once all candles are played', () => {
    const market = new ReplayMarket([BTC]);
    playAll(market);
    expect(market.next()).toBeUndefined();
    expect(market.next()).toBeUndefined();
  });

  it('counts the distinct timestamps as periods and knows the first and last time', () => {
    const market = new ReplayMarket([BTC, ETH]);
    expect(market.periods).toBe(7);
    expect(market.firstTime).toBe(T0);
    expect(market.lastTime).toBe(T0 + 6 * HOUR);
    expect(market.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(market.timeframe).toBe('1h');
  });

  it('counts one series\' periods as the periods next() returns, within a range and with a time repeated', () => {
    for (const [steps, range] of [[[0, 1, 2, 3, 4], {}], [[0, 1, 2, 3, 4], { from: T0 + HOUR, to: T0 + 3 * HOUR }], [[0, 1, 1, 2], {}]] as const) {
      const market = new ReplayMarket([series('BTC/USDT', [...steps])], range);
      const periods = market.periods;
      expect(playAll(market)).toHaveLength(periods);
    }
  });

  it('counts the periods played so far', () => {
    const market = new ReplayMarket([BTC, ETH]);
    market.next();
    market.next();
    expect(market.played).toBe(2);
    playAll(market);
    expect(market.played).toBe(market.periods);
  });

  it('plays only candles from `from` to `to`, both included', () => {
    const market = new ReplayMarket([BTC, ETH], { from: T0 + 3 * HOUR, to: T0 + 5 * HOUR });
    expect(playAll(market)).toEqual([['ETH/USDT@3'], ['BTC/USDT@4', 'ETH/USDT@4'], ['BTC/USDT@5', 'ETH/USDT@5']]);
    expect([market.periods, market.firstTime, market.lastTime]).toEqual([3, T0 + 3 * HOUR, T0 + 5 * HOUR]);
  });

  it('starts at the first candle after a `from` between candles and accepts either end alone', () => {
    expect(playAll(new ReplayMarket([BTC], { from: T0 + 2.5 * HOUR }))).toEqual([['BTC/USDT@4'], ['BTC/USDT@5']]);
    expect(playAll(new ReplayMarket([BTC], { to: T0 + HOUR }))).toEqual([['BTC/USDT@0'], ['BTC/USDT@1']]);
  });

  it('describes the files, symbols, timeframe, range and counts', () => {
    expect(new ReplayMarket([BTC, ETH]).description).toBe(
      'replay of 2 files: BTC/USDT, ETH/USDT on 1h, 2021-01-01T00:00:00.000Z -> 2021-01-01T06:00:00.000Z (7 periods, 10 candles)',
    );
    expect(new ReplayMarket([BTC], { from: T0 + HOUR }).description).toBe(
      'replay of 1 file: BTC/USDT on 1h, 2021-01-01T01:00:00.000Z -> 2021-01-01T05:00:00.000Z (4 candles)',
    );
  });

  it('merges two long series with offset times completely', () => {
    const minutes = Array.from({ length: 200_000 }, (_, i) => i);
    const market = new ReplayMarket([series('BTC/USDT', minutes, '1m'), series('ETH/USDT', minutes.map((m) => m + 7), '1m')]);
    let candles = 0;
    for (let events = market.next(); events !== undefined; events = market.next()) candles += events.length;
    expect(candles).toBe(400_000);
    expect(market.periods).toBe(200_007);
  });

  describe('with series that start late, end early and have gaps', () => {
    // SOL starts at hour 5 and jumps to 9; given between the others, so neither the first nor the
    // latest candle is in the first or last series given.
    const SOL = series('SOL/USDT', [5, 9]);
    const three = () => new ReplayMarket([ETH, SOL, BTC]);

    it('counts the distinct times as periods, the candles, and knows the first and last time', () => {
      const market = three();
      // times 0 1 2 3 4 5 6 9: 8 periods; 5 + 2 + 5 = 12 candles
      expect(market.periods).toBe(8);
      expect(market.candleCount).toBe(12);
      expect(market.firstTime).toBe(T0);
      expect(market.lastTime).toBe(T0 + 9 * HOUR);
      expect(market.description).toBe(
        'replay of 3 files: ETH/USDT, SOL/USDT, BTC/USDT on 1h, 2021-01-01T00:00:00.000Z -> 2021-01-01T09:00:00.000Z (8 periods, 12 candles)',
      );
      expect(playAll(market)).toHaveLength(8);
    });

    it('counts only what the range keeps', () => {
      const market = new ReplayMarket([ETH, SOL, BTC], { from: T0 + 5 * HOUR, to: T0 + 8 * HOUR });
      // ETH 5 6, SOL 5, BTC 5: times 5 and 6
      expect([market.periods, market.candleCount, market.firstTime, market.lastTime]).toEqual([2, 4, T0 + 5 * HOUR, T0 + 6 * HOUR]);
      expect(market.description).toBe(
        'replay of 3 files: ETH/USDT, SOL/USDT, BTC/USDT on 1h, 2021-01-01T05:00:00.000Z -> 2021-01-01T06:00:00.000Z (2 periods, 4 candles)',
      );
      expect(playAll(market)).toEqual([['ETH/USDT@5', 'SOL/USDT@5', 'BTC/USDT@5'], ['ETH/USDT@6']]);
    });

    it('counts a range one series has no candle in', () => {
      const market = new ReplayMarket([BTC, SOL], { from: T0 + 6 * HOUR });
      expect([market.periods, market.candleCount, market.firstTime, market.lastTime]).toEqual([1, 1, T0 + 9 * HOUR, T0 + 9 * HOUR]);
      expect(playAll(market)).toEqual([['SOL/USDT@9']]);
    });

    it('gives the total periods and the same description when asked after some periods were played', () => {
      const market = three();
      const described = three().description;
      // Each period read before the next is asked for: the market may reuse its events.
      const played = [1, 2, 3].map(() => market.next()!.map(label));
      expect(played).toEqual([['BTC/USDT@0'], ['BTC/USDT@1'], ['ETH/USDT@2', 'BTC/USDT@2']]);
      expect(market.played).toBe(3);
      expect(market.periods).toBe(8);
      expect(market.description).toBe(described);
      expect(market.candleCount).toBe(12);
    });

    it('plays on unchanged after the periods were counted in the middle of playing', () => {
      const market = three();
      market.next();
      market.next();
      expect(market.periods).toBe(8);
      expect(playAll(market)).toEqual([
        ['ETH/USDT@2', 'BTC/USDT@2'],
        ['ETH/USDT@3'],
        ['ETH/USDT@4', 'BTC/USDT@4'],
        ['ETH/USDT@5', 'SOL/USDT@5', 'BTC/USDT@5'],
        ['ETH/USDT@6'],
        ['SOL/USDT@9'],
      ]);
      expect(market.played).toBe(8);
      expect(market.periods).toBe(8);
    });

    it('counts the periods of a market played to the end before it was asked', () => {
      const market = three();
      playAll(market);
      expect(market.periods).toBe(8);
      expect(market.played).toBe(8);
    });

    it('hands out the right candles of each period when it reuses its events', () => {
      const market = three();
      const seen: (readonly unknown[])[] = [];
      for (let events = market.next(); events !== undefined; events = market.next()) seen.push(events.map((e) => (e.kind === 'candle' ? e.candle : e)));
      const expected = [0, 1, 2, 3, 4, 5, 6, 9].map((h) =>
        [ETH, SOL, BTC].map((s) => s.candles.toArray().find((c) => c.time === T0 + h * HOUR)).filter((c) => c !== undefined),
      );
      expect(seen).toHaveLength(expected.length);
      seen.forEach((candles, i) => {
        expect(candles).toHaveLength(expected[i]!.length);
        candles.forEach((candle, j) => expect(candle).toEqual(expected[i]![j]));
      });
    });
  });

  describe('refuses', () => {
    it('series on different timeframes, naming the files', () => {
      expect(userError(() => new ReplayMarket([BTC, series('ETH/USDT', [0, 1], '5m')]))).toBe(
        'candle files must share one timeframe, but BTC_USDT-1h.json is 1h and ETH_USDT-5m.json is 5m',
      );
    });

    it('two files of one symbol', () => {
      const again = { ...series('BTC/USDT', [7, 8]), file: 'other.csv' };
      expect(userError(() => new ReplayMarket([BTC, again]))).toBe('candle files BTC_USDT-1h.json and other.csv both hold BTC/USDT; give one file per symbol');
    });

    it('no series', () => {
      expect(userError(() => new ReplayMarket([]))).toBe('a replay needs at least one candle file');
    });

    it('a range that ends before it starts', () => {
      expect(userError(() => new ReplayMarket([BTC], { from: T0 + HOUR, to: T0 }))).toBe(
        'the replay range is empty: it starts at 2021-01-01T01:00:00.000Z, after its end at 2021-01-01T00:00:00.000Z',
      );
    });

    it('a range that falls into a gap of every file, naming each file', () => {
      const message = userError(() => new ReplayMarket([BTC, series('ETH/USDT', [0, 4])], { from: T0 + 3 * HOUR - 1, to: T0 + 3 * HOUR + 1 }));
      expect(message).toBe(
        'no candles of BTC_USDT-1h.json (2021-01-01T00:00:00.000Z -> 2021-01-01T05:00:00.000Z), ' +
          'ETH_USDT-1h.json (2021-01-01T00:00:00.000Z -> 2021-01-01T04:00:00.000Z) ' +
          'fall between 2021-01-01T02:59:59.999Z and 2021-01-01T03:00:00.001Z',
      );
    });

    it('a range that ends before every file starts', () => {
      expect(userError(() => new ReplayMarket([ETH], { to: T0 + HOUR }))).toBe(
        'no candles of ETH_USDT-1h.json (2021-01-01T02:00:00.000Z -> 2021-01-01T06:00:00.000Z) fall between the start and 2021-01-01T01:00:00.000Z',
      );
    });

    it('a range without candles, naming the span of the files', () => {
      expect(userError(() => new ReplayMarket([BTC], { from: T0 + 10 * HOUR }))).toBe(
        'no candles of BTC_USDT-1h.json (2021-01-01T00:00:00.000Z -> 2021-01-01T05:00:00.000Z) fall between 2021-01-01T10:00:00.000Z and the end',
      );
    });
  });
});
