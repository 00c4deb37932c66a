import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { quietEnv, runMain } from '../helpers/run-main';

function liveConfig(extra: object = {}): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'live-config-')), 'live.json');
  fs.writeFileSync(file, JSON.stringify({ mode: 'live', trade: { stopLossPct: 0, stake: '20%' }, ...extra }));
  return file;
}

describe('live trading against the fake exchange', () => {
  let fake: FakeExchange;

  beforeAll(async () => {
    // Little liquidity per price step: market orders fill in part and the rest expires, as on a thin book.
    fake = await createFakeExchange({ symbols: ['BTC/USDT'], timeframe: '1m', speed: 20, seed: 7, liquidity: { 'BTC/USDT': 0.015 } });
  });
  afterAll(() => fake.close());

  it('enters, fills in part, exits, and ends with books that agree with the exchange', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'live-trading-'));
    const run = await runMain(
      ['--config', liveConfig(), '--live', '--source', 'exchange', '--exchange-url', fake.url, '--timeframe', '1m', '--symbols', 'BTC/USDT', '--strategy', 'sma-cross', '--duration', '8', '--out', out],
      quietEnv({
        BOT_EXCHANGE_API_KEY: fake.apiKey,
        BOT_EXCHANGE_SECRET: fake.secret,
        BOT_STRATEGY_PARAMS: '{"sma-cross":{"fast":2,"slow":3}}',
        BOT_MONITOR_STATUS_INTERVAL_MS: '0',
        BOT_LOG_LEVEL: 'debug',
      }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
expect(run.stdout).toContain('LIVE TRADING on binance with REAL ORDERS');

    const orders = fake.orders();
    expect(orders.length).toBeGreaterThan(1);
    // Every order on the exchange is the bot's, sent once.
    const ids = orders.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(run.stdout).toContain(`order ${id} `);
    expect(ids.every((id) => /^at-[0-9a-z]+-[0-9a-z]+$/.test(id))).toBe(true);
    // Some filled in part only (the liquidity cap), and the bot booked exactly what filled.
    expect(orders.some((o) => o.status === 'EXPIRED' && o.executedQty > 0)).toBe(true);
    const exchangeFills = orders.reduce((n, o) => n + o.trades.length, 0);
    const botFills = (run.stdout.match(/ filled at-/g) ?? []).length;
    expect(botFills).toBeGreaterThan(0);
    expect(botFills).toBeLessThanOrEqual(exchangeFills);

    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { finalEquity: number; trades: number; openPositionsAtEnd: number };
    expect(summary.trades).toBeGreaterThan(0);
    // The ledger's equity against the exchange's account valued at the last price: equal up to the
    // commission the exchange took in BTC, booked in USDT (a few hundredths of a per cent).
    const valued = fake.balance('USDT').free + fake.balance('USDT').locked + (fake.balance('BTC').free + fake.balance('BTC').locked) * fake.price('BTC/USDT');
    expect(Math.abs(summary.finalEquity - valued) / valued).toBeLessThan(0.002);
    // Secrets never appear.
    expect(run.stdout).not.toContain(fake.secret);
    expect(run.stdout).not.toContain(fake.apiKey);
  }, 40_000);
});
