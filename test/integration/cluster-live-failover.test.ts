/**
 * Live trading spread over processes against the fake exchange: data, analysis and a trade leader (trade,
 * portfolio, monitor) with a standby of the same roles on the same state file. The leader is killed with
 * SIGKILL right as an order reaches the exchange (its answer held back); the standby takes the lead with a
 * higher fencing token, resumes from the state file, reconciles and trades on. No order may be sent twice,
 * every order on the exchange is known to the state file, and every fill is booked once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BooksState } from '../../src/portfolio/books';
import { Journal } from '../../src/state/journal';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { expectEveryFillBookedOnce } from '../helpers/live-books-checks';
import { startBot, tempDir, waitFor, type BotProcess } from '../helpers/bot-process';
import { describeWithRedis, startRedis, type RedisServer } from '../helpers/redis-server';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const ORDER = '/api/v3/order';
const BUS_KEY = 'live-failover-key-0123456789abcdef01234567';

describeWithRedis('live trading spread over processes, its trade leader killed', () => {
  let fake: FakeExchange;
  let redis: RedisServer;
  const dir = tempDir('cluster-live-');
  const state = path.join(dir, 'live.sqlite');
  const config = path.join(dir, 'live.json');
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    fake = await createFakeExchange({ symbols: SYMBOLS, timeframe: '1m', speed: 20, seed: 11, balances: { USDT: 10_000 } });
    fs.writeFileSync(config, JSON.stringify({ mode: 'live', trade: { stopLossPct: 0, stake: '10%' } }));
  });
  afterAll(async () => {
    for (const bot of bots) bot.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.code));
    for (const [i, bot] of bots.entries()) fs.appendFileSync(path.join(dir, 'processes.log'), `\n===== process ${i}\n${bot.stdout()}${bot.stderr()}`);
    await fake.close();
    await redis.stop();
  });

  const common = (): string[] => ['--source', 'exchange', '--exchange-url', fake.url, '--timeframe', '1m', '--symbols', SYMBOLS.join(','), '--strategy', 'sma-cross', '--bus', redis.busUrl];
  const env = (): Record<string, string> => ({
    BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_MONITOR_STATUS_INTERVAL_MS: '0',
    BOT_STRATEGY_PARAMS: '{"sma-cross":{"fast":2,"slow":3}}',
    BOT_BUS_KEY: BUS_KEY, BOT_BUS_REDIS_PASSWORD: redis.password, BOT_BUS_FAILOVER_MS: '1500',
  });
  const trader = (): BotProcess => {
    const bot = startBot(['--config', config, '--live', ...common(), '--role', 'trade,portfolio,monitor', '--node', 'trader', '--state', state], {
      ...env(), BOT_EXCHANGE_API_KEY: fake.apiKey, BOT_EXCHANGE_SECRET: fake.secret,
    });
    bots.push(bot);
    return bot;
  };
  const orderPosts = (): number => fake.requests.filter((r) => r.method === 'POST' && r.path === ORDER).length;

  it('hands over to the standby: no order sent twice, every order known, every fill booked once', async () => {
    const leader = trader();
    await waitFor(() => /leading the trade side with fencing token \d+/.test(leader.stdout()), `the leader: ${leader.stdout().slice(-2000)}${leader.stderr()}`, 40_000);
    const standby = trader();
    const data = startBot([...common(), '--role', 'data'], env());
    const analysis = startBot([...common(), '--role', 'analysis'], env());
    bots.push(data, analysis);
    await waitFor(() => /standby: another process leads the trade side/.test(standby.stdout()), 'the standby to wait', 40_000);
    // Two orders through the leader, then the third reaches the exchange and its answer is held back: killed then.
    await waitFor(() => orderPosts() >= 2, `the leader's first orders: ${leader.stdout().slice(-3000)}`, 60_000);
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'stream-before-ack', delayMs: 400 } });
    const before = orderPosts();
    await waitFor(() => orderPosts() > before, 'an order to reach the exchange', 40_000);
    leader.kill('SIGKILL');
    expect(await leader.code).toBeNull();
    const leaderToken = Number(/fencing token (\d+)/.exec(leader.stdout())?.[1]);
    await waitFor(() => /leading the trade side with fencing token \d+/.test(standby.stdout()), `the standby to take over: ${standby.stdout().slice(-2000)}`, 30_000);
    expect(Number(/leading the trade side with fencing token (\d+)/.exec(standby.stdout())?.[1])).toBeGreaterThan(leaderToken);
    await waitFor(() => standby.stdout().includes('agent status (all agents running)'), `the standby's agents: ${standby.stdout().slice(-2000)}`, 40_000);
    expect(standby.stdout()).toMatch(/resumed from .*live\.sqlite: \d+ position\(s\), \d+ open order\(s\)/);
    // The new leader trades on.
    const atTakeover = orderPosts();
    await waitFor(() => orderPosts() >= atTakeover + 2, `the new leader's orders: ${standby.stdout().slice(-3000)}`, 90_000);
    // Settled: the recvWindow of anything in flight passes, then a clean stop.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    standby.kill('SIGINT');
    expect(await standby.code).toBe(0);

    const journal = Journal.open(state, { readonly: true, keepEvents: 1_000_000 });
    const events = journal.recent(-1);
    const books = journal.document<BooksState>('portfolio')!;
    journal.close();
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === ORDER).map((r) => r.query['newClientOrderId']);
    expect(new Set(posts).size).toBe(posts.length);
    const intents = new Set(events.filter((e) => e.kind === 'order.submitted').map((e) => (e.data as { order: { clientOrderId: string } }).order.clientOrderId));
    const orders = fake.orders();
    expect(orders.length).toBeGreaterThanOrEqual(4);
    expect(orders.filter((o) => !intents.has(o.clientOrderId)).map((o) => o.clientOrderId)).toEqual([]);
    expectEveryFillBookedOnce(orders, events);
    const usdt = fake.balance('USDT').free + fake.balance('USDT').locked;
    expect(Math.abs(books.ledger.cash - usdt) / 10_000).toBeLessThan(0.005);
  }, 240_000);
});
