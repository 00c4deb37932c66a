import path from 'node:path';
import type { App } from '../../src/app/build-app';
import { Journal } from '../../src/state/journal';
import type { ClosedTrade, PositionView } from '../../src/portfolio/types';
import type { Order } from '../../src/execution/types';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { tempDir, waitFor } from '../helpers/bot-process';
import { liveFlipFlopApp } from '../helpers/live-app';
import { MemoryLogger } from '../helpers/memory-logger';

// The fake exchange makes one-minute candles: the bot asks for those.
const ENV = { BOT_MARKET_SYMBOLS: 'BTC/USDT', BOT_MARKET_TIMEFRAME: '1m', BOT_MARKET_HISTORY_LENGTH: '20', BOT_TRADE_STAKE: '10%', BOT_STRATEGY_PARAMS: '{"flip-flop":{"every":8,"hold":4}}' };

describe('a live bot restarted from its state file', () => {
  let fake: FakeExchange;
  const file = path.join(tempDir('live-restart-'), 'live.sqlite');

  beforeAll(async () => {
    // XRP on the account: no position of the bot's explains it.
    fake = await createFakeExchange({ symbols: ['BTC/USDT', 'XRP/USDT'], timeframe: '1m', speed: 20, seed: 8, balances: { USDT: 10_000, XRP: 500 } });
  });
  afterAll(() => fake.close());

  function app(logger: MemoryLogger): { app: App; journal: Journal } {
    const journal = Journal.open(file, { durable: true, keepEvents: 10_000 });
    return { app: liveFlipFlopApp(fake, logger, ENV, { journal, resumeAfter: 0 }), journal };
  }

  it('sells the open position it had when the strategy exits, and leaves the coin it cannot explain alone', async () => {
    const first = app(new MemoryLogger());
    let opened: PositionView | undefined;
    first.app.bus.subscribe('test', 'position.changed', ({ payload }) => {
      opened ??= payload.position;
    });
    await first.app.orchestrator.startAll();
    await waitFor(() => opened !== undefined, 'a position to open', 20_000);
    await first.app.orchestrator.stopAll('restart');
    first.journal.close();
    const held = opened!;

    const logger = new MemoryLogger();
    const second = app(logger);
    const orders: Order[] = [];
    const closed: ClosedTrade[] = [];
    second.app.bus.subscribe('test', 'order.submitted', ({ payload }) => void orders.push(payload.order));
    second.app.bus.subscribe('test', 'position.closed', ({ payload }) => void closed.push(payload));
    await second.app.orchestrator.startAll();
    const snapshot = await second.app.bus.request('test', 'portfolio.snapshot', {});
    expect(snapshot.positions.map((p) => [p.symbol, p.qty, p.entryTime])).toEqual([[held.symbol, held.qty, held.entryTime]]);
    await waitFor(() => closed.length > 0, 'the position to close', 20_000);
    await second.app.orchestrator.stopAll('test over');
    second.journal.close();

    expect(orders[0]).toMatchObject({ symbol: 'BTC/USDT', side: 'sell', qty: held.qty, origin: 'flip-flop' });
    expect(closed[0]).toMatchObject({ symbol: 'BTC/USDT', entryTime: held.entryTime, exitReason: 'signal' });
    expect(logger.lines.map((l) => l.message)).toContain('the account holds 500 XRP that no position explains: left alone, never traded');
    expect(fake.orders({ symbol: 'XRP/USDT' })).toEqual([]);
    expect(fake.balance('XRP').free).toBe(500);
  }, 60_000);
});
