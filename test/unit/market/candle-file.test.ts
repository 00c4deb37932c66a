import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCandleFile } from '../../../src/market/candle-file';

const FIXTURES = path.join(__dirname, '../../fixtures/candles');
const fixture = (name: string): string => path.join(FIXTURES, name);
const T0 = Date.UTC(2021, 0, 1);
const HOUR = 3_600_000;

describe('loadCandleFile', () => {
  it('reads ccxt OHLCV JSON rows, with symbol and timeframe from the file name', () => {
    const series = loadCandleFile(fixture('BTC_USDT-1h.json'));
    expect(series.file).toBe(fixture('BTC_USDT-1h.json'));
    expect(series.symbol).toBe('BTC/USDT');
    expect(series.timeframe).toBe('1h');
    expect(series.candles).toHaveLength(5);
    expect(series.candles.at(0)).toEqual({ symbol: 'BTC/USDT', timeframe: '1h', time: T0, open: 29000, high: 29400, low: 28800, close: 29300, volume: 12.5 });
    expect(series.candles.toArray().map((c) => (c.time - T0) / HOUR)).toEqual([0, 1, 2, 5, 6]);
  });

  it('reports a missing stretch as a gap rather than an error', () => {
    const series = loadCandleFile(fixture('BTC_USDT-1h.json'));
    expect(series.gaps).toEqual([{ from: T0 + 2 * HOUR, to: T0 + 5 * HOUR, missing: 2 }]);
  });

  it('reads CSV by header aliases in any case, with ISO times in several spellings, and sorts newest-first rows ascending', () => {
    const series = loadCandleFile(fixture('BTC-USDT_1h.csv'));
    expect(series.symbol).toBe('BTC/USDT');
    expect(series.timeframe).toBe('1h');
    // Rows are written 03:00Z, "02:00" (no zone: UTC), 03:00+02:00 (01:00Z) and 00:00.000.
    expect(series.candles.toArray().map((c) => [(c.time - T0) / HOUR, c.open, c.volume])).toEqual([
      [0, 100, 1],
      [1, 101, 2],
      [2, 102, 3],
      [3, 103, 4],
    ]);
    expect(series.candles.at(3)).toMatchObject({ high: 108, low: 101, close: 106 });
    expect(series.gaps).toEqual([]);
  });

  it('finds columns in any order, sets volume to 0 when there is no volume column, and infers the timeframe from the timestamps', () => {
    const series = loadCandleFile(fixture('ETH_USDT.csv'));
    expect(series.symbol).toBe('ETH/USDT');
    expect(series.timeframe).toBe('15m');
    expect(series.candles.at(1)).toEqual({ symbol: 'ETH/USDT', timeframe: '15m', time: T0 + 900_000, open: 731.5, high: 735, low: 730.25, close: 733, volume: 0 });
  });

  it('reads 10-digit timestamps as seconds since 1970', () => {
    const series = loadCandleFile(fixture('SOL_USDT-1d.csv'));
    expect(series.timeframe).toBe('1d');
    expect(series.candles.toArray().map((c) => c.time)).toEqual([T0, T0 + 24 * HOUR, T0 + 48 * HOUR]);
  });

  it('skips a banner line above the header, reads a 12-hour clock, and prefers the column named exactly volume', () => {
    const series = loadCandleFile(fixture('coinbase_BTC-USD_1h_2019.csv'));
    expect(series.symbol).toBe('BTC/USD');
    const day = Date.UTC(2019, 9, 17);
    expect(series.candles.toArray().map((c) => [(c.time - day) / HOUR, c.close, c.volume])).toEqual([
      [11, 8051, 8051],
      [12, 8060, 12090],
      [13, 8050, 16100],
    ]);
  });

  it('takes symbol and timeframe from the hint over the file name', () => {
    const series = loadCandleFile(fixture('ETH_USDT.csv'), { symbol: 'ETH/EUR', timeframe: '15m' });
    expect(series.symbol).toBe('ETH/EUR');
    expect(series.candles.toArray().every((c) => c.symbol === 'ETH/EUR' && c.timeframe === '15m')).toBe(true);
  });

  describe('with files written by the test', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candle-file-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('accepts a single candle when the name gives the timeframe', () => {
      const file = path.join(dir, 'ADA_USDT-4h.json');
      fs.writeFileSync(file, JSON.stringify([[T0, 1, 2, 0.5, 1.5, 10]]));
      expect(loadCandleFile(file)).toMatchObject({ symbol: 'ADA/USDT', timeframe: '4h', gaps: [] });
    });

    it('accepts times off the period boundaries as long as every step is a whole number of periods', () => {
      const file = path.join(dir, 'XRP_USDT-1h.csv');
      const offset = 59_000;
      const times = [0, 1, 3].map((h) => T0 + offset + h * HOUR);
      fs.writeFileSync(file, `time,open,high,low,close\n${times.map((t) => `${t},1,2,0.5,1.5`).join('\n')}\n`);
      const series = loadCandleFile(file);
      expect(series.candles.toArray().map((c) => c.time)).toEqual(times);
      expect(series.gaps).toEqual([{ from: times[1], to: times[2], missing: 1 }]);
    });

    it('sorts rows that are in no order at all', () => {
      const file = path.join(dir, 'DOT_USDT-1m.json');
      const rows = [2, 0, 3, 1].map((m) => [T0 + m * 60_000, 1, 2, 0.5, 1.5, m]);
      fs.writeFileSync(file, JSON.stringify(rows));
      expect(loadCandleFile(file).candles.toArray().map((c) => c.volume)).toEqual([0, 1, 2, 3]);
    });

    it('loads a 65,000-row JSON file whole, its timeframe inferred', () => {
      const file = path.join(dir, 'BTC_USDT-5m.json');
      const rows = Array.from({ length: 65_000 }, (_, i) => [T0 + i * 300_000, 100 + (i % 7), 110 + (i % 7), 90 + (i % 7), 101 + (i % 7), 12.345]);
      fs.writeFileSync(file, JSON.stringify(rows));
      const series = loadCandleFile(file);
      expect(series.candles).toHaveLength(65_000);
      expect(series.timeframe).toBe('5m');
    });
  });
});
