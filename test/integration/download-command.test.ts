import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCandleFile } from '../../src/market/candle-file';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { runMain } from '../helpers/run-main';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const KLINES = '/api/v3/klines';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'download-'));
const readRows = (file: string): number[][] => JSON.parse(fs.readFileSync(file, 'utf8')) as number[][];

describe('download command', () => {
  let fake: FakeExchange;
  let out: string;
  const download = (...args: string[]) =>
    runMain(['download', '--exchange', 'binance', '--exchange-url', fake.url, '--timeframe', '1h', '--out', out, ...args]);

  beforeEach(async () => {
    out = tempDir();
    // Exchange time half-way through the candle opened 2500 hours after T0: that one is still forming.
    fake = await createFakeExchange({ timeframe: '1h', start: T0, now: T0 + 2500 * HOUR + 30 * 60_000, outages: [{ symbol: 'ETH/USDT', from: T0 + 100 * HOUR, to: T0 + 106 * HOUR }] });
  });
  afterEach(() => fake.close());

  it('downloads 2,500 candles in pages of 1,000 into a candle file backtest reads, leaving out the forming candle', async () => {
    const run = await download('--symbol', 'BTC/USDT', '--from', '2024-01-01');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const file = path.join(out, 'BTC_USDT-1h.json');
    expect(run.stdout).toBe(`BTC/USDT 1h: +2500 candles, 2500 in ${file}, 2024-01-01T00:00Z to 2024-04-14T03:00Z, no gaps\n`);
    expect(fake.requestsTo(KLINES).map((r) => [r.query['startTime'], r.query['limit']])).toEqual([
      [String(T0), '1000'],
      [String(T0 + 1000 * HOUR), '1000'],
      [String(T0 + 2000 * HOUR), '500'],
    ]);
    const served = fake.klines('BTC/USDT', '1h', { startTime: T0, limit: 1000 });
    const rows = readRows(file);
    expect(rows).toHaveLength(2500);
    expect(rows.slice(0, 1000)).toEqual(served);
    expect(rows.at(-1)![0]).toBe(T0 + 2499 * HOUR);
    // The exchange does have the forming candle; it is just not closed yet.
    expect(fake.klines('BTC/USDT', '1h', { startTime: T0 + 2500 * HOUR }).map((r) => r[0])).toEqual([T0 + 2500 * HOUR]);
    const series = loadCandleFile(file);
    expect([series.symbol, series.timeframe, series.candles.length, series.gaps]).toEqual(['BTC/USDT', '1h', 2500, []]);
    expect(fs.readdirSync(out)).toEqual(['BTC_USDT-1h.json']);
  });

  it('resumes from the last candle of the file: a second run adds only the new candles', async () => {
    await download('--symbol', 'BTC/USDT', '--from', '2024-01-01');
    fake.setNow(T0 + 2510 * HOUR + 30 * 60_000);
    const before = fake.requestsTo(KLINES).length;
    const run = await download('--symbol', 'BTC/USDT');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^BTC\/USDT 1h: \+10 candles, 2510 in .*, 2024-01-01T00:00Z to 2024-04-14T13:00Z, no gaps\n$/);
    expect(fake.requestsTo(KLINES).slice(before).map((r) => [r.query['startTime'], r.query['limit']])).toEqual([[String(T0 + 2500 * HOUR), '10']]);
    const times = readRows(path.join(out, 'BTC_USDT-1h.json')).map((r) => r[0]!);
    expect(times).toEqual(Array.from({ length: 2510 }, (_, i) => T0 + i * HOUR));
    // Nothing new: nothing fetched but the exchange time, nothing added.
    const again = await download('--symbol', 'BTC/USDT', '--from', '2024-01-01');
    expect(again.stdout).toMatch(/\+0 candles, 2510 in /);
  });

  it('reports a range the exchange has no candles for as a gap, and writes no candle there', async () => {
    const run = await download('--symbol', 'ETH/USDT', '--from', '2024-01-01', '--to', '2024-01-10');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^ETH\/USDT 1h: \+234 candles, 234 in .*ETH_USDT-1h\.json, 2024-01-01T00:00Z to 2024-01-10T23:00Z, 1 gap\(s\), 6 candles missing$/),
      'gap: ETH/USDT 1h has no candles from 2024-01-05T04:00Z to 2024-01-05T09:00Z (6 missing)',
    ]);
    const rows = readRows(path.join(out, 'ETH_USDT-1h.json'));
    expect(rows).toEqual(fake.klines('ETH/USDT', '1h', { startTime: T0, endTime: T0 + 239 * HOUR, limit: 1000 }));
    expect(rows.filter((r) => r[0]! >= T0 + 100 * HOUR && r[0]! < T0 + 106 * HOUR)).toEqual([]);
  });

  it('stops at --to, a date alone meaning the whole day, for every symbol given', async () => {
    const run = await download('--symbol', 'BTC/USDT,ETH/USDT', '--from', '2024-01-03', '--to', '2024-01-04');
    expect(run.code).toBe(0);
    for (const symbol of ['BTC_USDT', 'ETH_USDT']) {
      const times = readRows(path.join(out, `${symbol}-1h.json`)).map((r) => r[0]);
      expect(times).toEqual(Array.from({ length: 48 }, (_, i) => Date.UTC(2024, 0, 3) + i * HOUR));
    }
    expect(run.stdout.split('\n').filter((l) => l !== '')).toHaveLength(2);
  });

  it('waits out a 429 for its Retry-After, warns once, and finishes the download', async () => {
    fake.faults.next({ match: { path: KLINES, query: { startTime: String(T0 + 1000 * HOUR) } }, fault: { type: 'rate-limit', retryAfterSec: 1 } });
    const run = await download('--symbol', 'BTC/USDT', '--from', '2024-01-01');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\+2500 candles/);
    expect(run.stderr).toMatch(/binance: DDoSProtection while downloading BTC\/USDT; retry 1 of 5 in 1 s \(Retry-After\)/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    const [, limited, retried] = fake.requestsTo(KLINES);
    expect(limited!.fault?.type).toBe('rate-limit');
    expect(retried!.query).toEqual(limited!.query);
    // Wall-clock request times against a monotonic timer: allow a few ms.
    expect(retried!.time - limited!.time).toBeGreaterThanOrEqual(995);
  });

  it.each([
    [['--symbol', 'DOGE/USDT', '--from', '2024-01-01'], /^error: symbol "DOGE\/USDT" is not listed on binance \(2 spot markets\)$/],
    [['--symbol', 'BTC/USDX', '--from', '2024-01-01'], /^error: symbol "BTC\/USDX" is not listed on binance \(2 spot markets\); did you mean BTC\/USDT\?$/],
    [['--symbol', 'BTC/USDT', '--from', '2024-02-30'], /^error: --from "2024-02-30" is not a date or time; use ISO-8601/],
    [['--symbol', 'BTC/USDT'], /^error: --from is needed: there is no .*BTC_USDT-1h\.json to resume for BTC\/USDT$/],
  ])('refuses %j with one sentence and exit 2, writing nothing', async (args, message) => {
    const run = await download(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('refuses an unknown exchange and an unknown timeframe before any request, exit 2', async () => {
    const exchange = await runMain(['download', '--exchange', 'binanse', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', '2024-01-01', '--out', out]);
    expect(exchange.code).toBe(2);
    expect(exchange.stderr).toMatch(/^error: exchange "binanse" is not one of the \d+ exchanges ccxt .* supports; did you mean binance\?\n$/);
    const timeframe = await download('--symbol', 'BTC/USDT', '--from', '2024-01-01', '--timeframe', '7m');
    expect(timeframe.code).toBe(2);
    expect(timeframe.stderr).toMatch(/^error: --timeframe "7m" is not one of 1m, 3m, 5m/);
    expect(fake.requests).toEqual([]);
  });
});
