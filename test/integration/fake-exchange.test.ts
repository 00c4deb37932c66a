import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Exchange } from 'ccxt';
import { ccxtFor } from '../fake-exchange/ccxt-for';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('fake exchange with ccxt binance', () => {
  let fake: FakeExchange;
  let exchange: Exchange;

  beforeAll(async () => {
    fake = await createFakeExchange({ timeframe: '1h', start: T0, now: T0 + 3000 * HOUR + 20 * 60_000, outages: [{ symbol: 'ETH/USDT', from: T0 + 100 * HOUR, to: T0 + 110 * HOUR }] });
    exchange = ccxtFor(fake.url);
  });
  afterAll(() => fake.close());

  it('tells ccxt the exchange time', async () => {
    await expect(exchange.fetchTime()).resolves.toBe(T0 + 3000 * HOUR + 20 * 60_000);
  });

  it('loads spot markets only, with precision and limits from the Binance filters', async () => {
    const before = fake.requests.length;
    const markets = await exchange.loadMarkets(true);
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual(['/api/v3/exchangeInfo']);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc).toMatchObject({ id: 'BTCUSDT', base: 'BTC', quote: 'USDT', type: 'spot', spot: true, active: true });
    expect(btc.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(btc.limits).toMatchObject({ amount: { min: 0.00001, max: 9000 }, price: { min: 0.01, max: 1_000_000 }, cost: { min: 5, max: 9_000_000 } });
    expect(markets['ETH/USDT']!.precision).toMatchObject({ price: 0.01, amount: 0.0001 });
  });

  it('marks a market that is not trading as inactive', async () => {
    const halted = await createFakeExchange({ symbols: ['BTC/USDT', 'LUNA/USDT'], markets: [{ symbol: 'LUNA/USDT', status: 'BREAK', minNotional: '10' }] });
    try {
      const markets = await ccxtFor(halted.url).loadMarkets();
      expect(markets['LUNA/USDT']).toMatchObject({ active: false, limits: { cost: { min: 10 } } });
      expect(markets['BTC/USDT']!.active).toBe(true);
    } finally {
      await halted.close();
    }
  });

  it('serves one page of klines from startTime, 500 by default, with the parameters ccxt sends', async () => {
    const before = fake.requests.length;
    const candles = await exchange.fetchOHLCV('BTC/USDT', '1h', T0 + 10 * HOUR);
    expect(fake.requests.slice(before).map((r) => [r.path, r.query])).toEqual([
      ['/api/v3/klines', { symbol: 'BTCUSDT', interval: '1h', limit: '500', startTime: String(T0 + 10 * HOUR) }],
    ]);
    expect(candles).toHaveLength(500);
    expect(candles[0]![0]).toBe(T0 + 10 * HOUR);
    expect(candles).toEqual(fake.klines('BTC/USDT', '1h', { startTime: T0 + 10 * HOUR }));
    for (const [, open, high, low, close, volume] of candles) {
      expect(high).toBeGreaterThanOrEqual(Math.max(open!, close!));
      expect(low).toBeLessThanOrEqual(Math.min(open!, close!));
      expect(volume).toBeGreaterThan(0);
      // Prices on the 0.01 tick, as Binance sends them.
      expect(Math.abs(Math.round(open! * 100) - open! * 100)).toBeLessThan(1e-6);
    }
  });

  it('answers klines rows exactly as Binance does: 12 fields, decimals as strings', async () => {
    const response = await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1h&startTime=${T0}&limit=2`);
    const rows = (await response.json()) as unknown[][];
    expect(rows).toHaveLength(2);
    const row = rows[0]!;
    expect(row).toHaveLength(12);
    expect(row[0]).toBe(T0);
    expect(row[6]).toBe(T0 + HOUR - 1);
    for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) expect(row[i]).toMatch(/^\d+\.\d{8}$/);
    expect(typeof row[8]).toBe('number');
    expect(row[11]).toBe('0');
  });

  it('pages through several pages when the client advances from the last candle, with no overlap or hole', async () => {
    const all: number[][] = [];
    let since = T0;
    for (let page = 0; page < 3; page++) {
      const candles = await exchange.fetchOHLCV('BTC/USDT', '1h', since, 1000);
      expect(candles).toHaveLength(1000);
      all.push(...(candles as number[][]));
      since = candles[candles.length - 1]![0]! + HOUR;
    }
    expect(all.map((c) => c[0])).toEqual(Array.from({ length: 3000 }, (_, i) => T0 + i * HOUR));
  });

  it('caps limit at 1000 and serves the forming candle last, as Binance does', async () => {
    const rows = await (await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1h&startTime=${T0 + 2500 * HOUR}&limit=5000`)).json() as unknown[][];
    expect(rows).toHaveLength(501);
    expect(rows[rows.length - 1]![0]).toBe(T0 + 3000 * HOUR);
  });

  it('without startTime serves the latest klines up to endTime', async () => {
    const candles = await exchange.fetchOHLCV('BTC/USDT', '1h', undefined, 3, { until: T0 + 50 * HOUR + 5 });
    expect(candles.map((c) => c[0])).toEqual([T0 + 48 * HOUR, T0 + 49 * HOUR, T0 + 50 * HOUR]);
    const latest = await exchange.fetchOHLCV('BTC/USDT', '1h', undefined, 2);
    expect(latest.map((c) => c[0])).toEqual([T0 + 2999 * HOUR, T0 + 3000 * HOUR]);
  });

  it('rolls base candles up into longer intervals', async () => {
    const hours = await exchange.fetchOHLCV('BTC/USDT', '1h', T0, 24);
    const [day] = await exchange.fetchOHLCV('BTC/USDT', '1d', T0, 1);
    expect(day).toEqual([
      T0,
      hours[0]![1],
      Math.max(...hours.map((c) => c[2]!)),
      Math.min(...hours.map((c) => c[3]!)),
      hours[23]![4],
      expect.closeTo(hours.reduce((v, c) => v + c[5]!, 0), 4),
    ]);
  });

  it('skips a range with no candles instead of padding it', async () => {
    const candles = await exchange.fetchOHLCV('ETH/USDT', '1h', T0 + 95 * HOUR, 10);
    expect(candles.map((c) => (c[0]! - T0) / HOUR)).toEqual([95, 96, 97, 98, 99, 110, 111, 112, 113, 114]);
  });

  it('answers a ticker from the last 24 hours of candles', async () => {
    const ticker = await exchange.fetchTicker('BTC/USDT');
    const day = fake.klines('BTC/USDT', '1h', { startTime: T0 + 2977 * HOUR });
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ticker.last).toBe(day[day.length - 1]![4]);
    expect(ticker.open).toBe(day[0]![1]);
    expect(ticker.high).toBe(Math.max(...day.map((c) => c[2]!)));
    expect(ticker.bid).toBeLessThan(ticker.ask!);
    expect(ticker.timestamp).toBe(fake.now());
  });

  it('refuses an unknown symbol and interval with Binance\'s error codes', async () => {
    const bad = await fetch(`${fake.url}/api/v3/klines?symbol=NOPEUSDT&interval=1h`);
    expect(bad.status).toBe(400);
    await expect(bad.json()).resolves.toEqual({ code: -1121, msg: 'Invalid symbol.' });
    const interval = await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=7h`);
    await expect(interval.json()).resolves.toEqual({ code: -1120, msg: 'Invalid interval.' });
    const missing = await fetch(`${fake.url}/api/v3/klines?interval=1h`);
    await expect(missing.json()).resolves.toMatchObject({ code: -1102 });
  });
});

describe('fake exchange data and time', () => {
  it('serves the candles of a candle file, all closed by default, volumes as the file has them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-exchange-'));
    const file = path.join(dir, 'SOL_USDT-1h.json');
    // Volumes with more decimals than SOL/USDT's lot step of 0.01, as Binance's own files have them.
    const rows = Array.from({ length: 30 }, (_, i) => [T0 + i * HOUR, 100 + i, 102 + i, 99 + i, 101 + i, Number((70_957.86207 + i * 1.00001).toFixed(5))]);
    rows[1]![5] = 0.00000001;
    fs.writeFileSync(file, JSON.stringify(rows));
    const fake = await createFakeExchange({ files: [file] });
    try {
      expect(fake.now()).toBe(T0 + 30 * HOUR);
      const exchange = ccxtFor(fake.url);
      await expect(exchange.fetchOHLCV('SOL/USDT', '1h', T0, 100)).resolves.toEqual(rows);
    } finally {
      await fake.close();
    }
  });

  it('moves exchange time on at the given speed, and when told to', async () => {
    const fake = await createFakeExchange({ timeframe: '1m', start: T0, now: T0 + HOUR, speed: 600 });
    try {
      const first = fake.now();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fake.now()).toBeGreaterThan(first);
      fake.setNow(T0 + 2 * HOUR);
      const candles = await ccxtFor(fake.url).fetchOHLCV('BTC/USDT', '1m', T0 + 2 * HOUR - 5 * 60_000, 100);
      // The one opened at the new "now" (or a little later, time runs on) is the forming candle.
      expect(candles[0]![0]).toBe(T0 + 2 * HOUR - 5 * 60_000);
      expect(candles.length).toBeGreaterThanOrEqual(6);
    } finally {
      await fake.close();
    }
  });

  it('generates the same candles from the same seed', async () => {
    const a = await createFakeExchange({ seed: 7, timeframe: '1h', now: T0 + 100 * HOUR });
    const b = await createFakeExchange({ seed: 7, timeframe: '1h', now: T0 + 100 * HOUR });
    const c = await createFakeExchange({ seed: 8, timeframe: '1h', now: T0 + 100 * HOUR });
    try {
      const query = { startTime: T0, limit: 100 };
      expect(a.klines('BTC/USDT', '1h', query)).toEqual(b.klines('BTC/USDT', '1h', query));
      expect(a.klines('BTC/USDT', '1h', query)).not.toEqual(c.klines('BTC/USDT', '1h', query));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
