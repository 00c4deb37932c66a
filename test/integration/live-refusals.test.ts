import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { quietEnv, runMain } from '../helpers/run-main';

const SECRET = 'canary-secret-5f2a9c1e';
const KEY = 'canary-key-0b7d44aa';

function configFile(body: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'live-refusal-')), 'bot.json');
  fs.writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('live mode refuses to start unless everything says so', () => {
  let fake: FakeExchange;
  beforeAll(async () => {
    fake = await createFakeExchange({ symbols: ['BTC/USDT'], timeframe: '1m' });
  });
  afterAll(() => fake.close());

  const live = configFile({ mode: 'live' });
  const base = ['--source', 'exchange', '--symbols', 'BTC/USDT', '--duration', '1'];

  it('refuses --live while the config says paper, before touching the exchange', async () => {
    const before = fake.requests.length;
    const run = await runMain([...base, '--exchange-url', fake.url, '--live'], quietEnv({ BOT_EXCHANGE_API_KEY: KEY, BOT_EXCHANGE_SECRET: SECRET }));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^error: --live was given, but the configuration says mode "paper"/);
    expect(fake.requests.length).toBe(before);
  });

  it('refuses mode live without --live', async () => {
    const run = await runMain(['--config', live, ...base, '--exchange-url', fake.url], quietEnv({ BOT_EXCHANGE_API_KEY: KEY, BOT_EXCHANGE_SECRET: SECRET }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--live was not given');
  });

  it('refuses live trading without keys in the environment', async () => {
    const run = await runMain(['--config', live, ...base, '--exchange-url', fake.url, '--live'], quietEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('BOT_EXCHANGE_API_KEY and BOT_EXCHANGE_SECRET are not set in the environment');
  });

  it('stops with one sentence when the exchange refuses the keys, and the secret appears nowhere', async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-refusal-logs-'));
    const run = await runMain(
      ['--config', live, ...base, '--exchange-url', fake.url, '--live', '--log-level', 'debug'],
      { BOT_CONFIG_WATCH: 'false', BOT_LOG_DIR: logDir, BOT_EXCHANGE_API_KEY: KEY, BOT_EXCHANGE_SECRET: SECRET },
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: could not read the account balance on binance: /);
    const everything = [run.stdout, run.stderr, ...fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'))].join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(KEY);
  });

  it('trades nothing and stops with one sentence, exit 1, when the orders cannot be reconciled with the exchange first', async () => {
    // Banned for longer than the bot waits: the scan of open orders cannot be done.
    fake.faults.next({ match: { path: '/api/v3/openOrders' }, fault: { type: 'ip-ban', retryAfterSec: 1000 } });
    const before = fake.requests.length;
    const run = await runMain(['--config', live, ...base, '--exchange-url', fake.url, '--live'], quietEnv({ BOT_EXCHANGE_API_KEY: fake.apiKey, BOT_EXCHANGE_SECRET: fake.secret }));
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: agent trade failed to start: reconciling the orders with binance failed, so nothing was traded: fetchOpenOrders BTC\/USDT failed: /);
    expect(fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/api/v3/order')).toEqual([]);
  });
});
