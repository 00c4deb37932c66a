import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { quietEnv, runMain } from '../helpers/run-main';

/** Every path of Binance's that needs an API key: paper trading must reach none of them. */
const PRIVATE = [/^\/api\/v3\/(order|openOrders|allOrders|myTrades|account)/, /^\/sapi\//, /^\/ws-api\//, /^\/api\/v3\/userDataStream/];

describe('paper trading on live data from the fake exchange', () => {
  let fake: FakeExchange;

  beforeAll(async () => {
    // Exchange time runs 20 one-minute candles a second, so a few seconds make a market.
    fake = await createFakeExchange({ symbols: ['BTC/USDT'], timeframe: '1m', speed: 20, seed: 5 });
  });
  afterAll(() => fake.close());

  it('warms up over REST, trades on the stream with simulated fills, and never calls a private endpoint', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'live-paper-'));
    const run = await runMain(
      ['--source', 'exchange', '--exchange-url', fake.url, '--symbols', 'BTC/USDT', '--timeframe', '1m', '--strategy', 'sma-cross', '--duration', '6', '--out', out],
      quietEnv({ BOT_STRATEGY_PARAMS: '{"sma-cross":{"fast":2,"slow":3}}', BOT_MONITOR_STATUS_INTERVAL_MS: '0' }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PAPER TRADING on LIVE market data (simulated fills, no real money)');
    expect(run.stdout).toMatch(/warm-up: 1000 closed candles of BTC\/USDT/);
    expect(run.stdout).toMatch(/strategies warmed up on 1000 candles of history/);
    // The fake serves the time of the market it replays, days behind ours; the warning says why that may be fine.
    expect(run.stdout).toMatch(
      /the exchange's clock is \d+ days behind ours \(±\d+ ms\), as expected if exchange\.baseUrl \(127\.0\.0\.1:\d+, this machine\) is a local exchange replaying a recorded market/,
    );

    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { trades: number; candles: number };
    // 6 s at 20 candles/s: about 120 live candles; some are lost to start-up, none may be invented.
    expect(summary.candles).toBeGreaterThan(60);
    expect(summary.candles).toBeLessThan(140);
    expect(summary.trades).toBeGreaterThan(0);
    expect(fake.orders()).toEqual([]);

    const touched = fake.requests.filter((r) => PRIVATE.some((p) => p.test(r.path))).map((r) => `${r.method} ${r.path}`);
    expect(touched).toEqual([]);
    // It did use the public API and the market streams.
    expect(fake.requestsTo('/api/v3/klines').length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.path.startsWith('/ws'))).toBe(true);
  }, 30_000);
});
