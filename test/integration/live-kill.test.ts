/**
 * Crash-only, live: the bot trading against the fake exchange is killed with SIGKILL at 20 moments, among
 * them right as an order reaches the exchange (its answer held back, or never given), and started again
 * each time. No order may be sent twice or be unknown to the state file, every fill is booked once, and
 * the books end where the account is. Each life's output is kept in lives.log beside the state file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../../src/market/rng';
import type { BooksState } from '../../src/portfolio/books';
import { Journal } from '../../src/state/journal';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { expectEveryFillBookedOnce } from '../helpers/live-books-checks';
import { startBot, tempDir, waitFor, type BotProcess } from '../helpers/bot-process';

const KILLS = Number(process.env['LIVE_KILLS'] ?? 20);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const ORDER = '/api/v3/order';

describe('live trading killed and resumed', () => {
  let fake: FakeExchange;
  const dir = tempDir('live-kill-');
  const state = path.join(dir, 'live.sqlite');
  const config = path.join(dir, 'live.json');

  beforeAll(async () => {
    fake = await createFakeExchange({ symbols: SYMBOLS, timeframe: '1m', speed: 20, seed: 5, balances: { USDT: 10_000 } });
    fs.writeFileSync(config, JSON.stringify({ mode: 'live', trade: { stopLossPct: 0, stake: '10%' } }));
  });
  let current: BotProcess | undefined;
  afterAll(async () => {
    // A life still running after a failure would hold the fake's sockets open.
    current?.kill('SIGKILL');
    await current?.code;
    await fake.close();
  });

  function bot(): BotProcess {
    current = startBot(['--config', config, '--live', '--source', 'exchange', '--exchange-url', fake.url, '--timeframe', '1m', '--symbols', SYMBOLS.join(','), '--strategy', 'sma-cross', '--state', state], {
      BOT_LOG_TO_FILE: 'false',
      BOT_CONFIG_WATCH: 'false',
      BOT_LOG_LEVEL: 'info',
      BOT_MONITOR_STATUS_INTERVAL_MS: '0',
      BOT_EXCHANGE_API_KEY: fake.apiKey,
      BOT_EXCHANGE_SECRET: fake.secret,
      BOT_STRATEGY_PARAMS: '{"sma-cross":{"fast":2,"slow":3}}',
    });
    return current;
  }

  const orderPosts = (): number => fake.requests.filter((r) => r.method === 'POST' && r.path === ORDER).length;

  it(`sends no order twice, knows every order, books every fill once, through ${KILLS} kill -9s`, async () => {
    const rng = new Rng(7);
    const kinds: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const running = bot();
      await waitFor(() => running.stdout().includes('agent status (all agents running)'), `the bot to run (life ${kill + 1}): ${running.stdout().slice(-400)}${running.stderr()}`, 40_000);
      if (kill % 2 === 1) {
        // Right as an order reaches the exchange: placed and filled, its answer 400 ms late or never sent.
        const held = rng.next() < 0.5 ? { type: 'stream-before-ack' as const, delayMs: 400 } : { type: 'timeout' as const, processed: true };
        fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: held });
        const before = orderPosts();
        await waitFor(() => orderPosts() > before, `an order to reach the exchange: ${running.stdout().slice(-3000)}`, 20_000);
        kinds.push(held.type);
      } else {
        await new Promise((resolve) => setTimeout(resolve, rng.int(100, 2500)));
        kinds.push('any time');
      }
      running.kill('SIGKILL');
      expect(await running.code).toBeNull();
      fs.appendFileSync(path.join(dir, 'lives.log'), `\n===== life ${kill + 1} (${kinds[kinds.length - 1]})\n` + running.stdout() + running.stderr());
    }
    const last = bot();
    await waitFor(() => last.stdout().includes('agent status (all agents running)'), 'the last life to run', 40_000);
    expect(last.stdout()).toMatch(/resumed from .*live\.sqlite: \d+ position\(s\), \d+ open order\(s\)/);
    // Long enough for orders still unsettled at the last kill to be settled (recvWindow + margin: 10 s).
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    // Stopped right as an order reaches a slow exchange: the stop waits for its answer, so the books, still
    // running, take the fill.
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'slow', delayMs: 1000 } });
    const before = orderPosts();
    await waitFor(() => orderPosts() > before, `an order to reach the exchange in the last life: ${last.stdout().slice(-3000)}`, 20_000);
    last.kill('SIGINT');
    expect(await last.code).toBe(0);
    fs.appendFileSync(path.join(dir, 'lives.log'), `\n===== last life\n` + last.stdout() + last.stderr());

    const journal = Journal.open(state, { readonly: true, keepEvents: 1_000_000 });
    const events = journal.recent(-1);
    const books = journal.document<BooksState>('portfolio')!;
    journal.close();

    // No order sent twice.
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === ORDER).map((r) => r.query['newClientOrderId']);
    expect(posts.length).toBeGreaterThan(10);
    expect(new Set(posts).size).toBe(posts.length);
    // No order on the exchange the state file does not know.
    const intents = new Set(events.filter((e) => e.kind === 'order.submitted').map((e) => (e.data as { order: { clientOrderId: string } }).order.clientOrderId));
    const orders = fake.orders();
    expect(orders.filter((o) => !intents.has(o.clientOrderId)).map((o) => o.clientOrderId)).toEqual([]);
    expectEveryFillBookedOnce(orders, events);
    // The books where the account is, within the commission rule (README, State that survives).
    const usdt = fake.balance('USDT').free + fake.balance('USDT').locked;
    const coin = (symbol: string): number => {
      const b = fake.balance(symbol.split('/')[0]!);
      return b.free + b.locked;
    };
    const valued = usdt + SYMBOLS.reduce((sum, s) => sum + coin(s) * fake.price(s), 0);
    const held = (symbol: string): number => books.ledger.positions.find((p) => p.symbol === symbol)?.qty ?? 0;
    const bookEquity = books.ledger.cash + SYMBOLS.reduce((sum, s) => sum + held(s) * fake.price(s), 0);
    expect(Math.abs(bookEquity - valued) / valued).toBeLessThan(0.003);
    expect(Math.abs(books.ledger.cash - usdt) / valued).toBeLessThan(0.003);
    for (const symbol of SYMBOLS) expect(Math.abs(held(symbol) - coin(symbol)) * fake.price(symbol)).toBeLessThan(0.003 * valued);
    expect(kinds.filter((k) => k !== 'any time')).toHaveLength(KILLS / 2);
  }, 300_000);
});
