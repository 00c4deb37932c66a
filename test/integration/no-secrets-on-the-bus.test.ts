import type { Envelope } from '../../src/bus/envelope';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { MemoryLogger } from '../helpers/memory-logger';
import { liveFlipFlopApp } from '../helpers/live-app';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('secrets on the bus', () => {
  let fake: FakeExchange;

  beforeAll(async () => {
    fake = await createFakeExchange({ symbols: ['BTC/USDT'], timeframe: '1m', speed: 20, seed: 3, apiKey: 'key-6f1e9a3c77', secret: 'secret-0d2b58e4c1' });
  });
  afterAll(() => fake.close());

  it('never travel in a message of a live run: every message a tap sees, replies included, is free of them', async () => {
    const app = liveFlipFlopApp(fake, new MemoryLogger(), {
      BOT_MARKET_SYMBOLS: 'BTC/USDT',
      BOT_MARKET_HISTORY_LENGTH: '20',
      BOT_PORTFOLIO_START_BALANCE: '10000',
      BOT_TRADE_STAKE: '10%',
      BOT_MONITOR_STATUS_INTERVAL_MS: '1000',
    });
    const seen: Envelope[] = [];
    app.bus.tap((message) => void seen.push(message));
    await app.orchestrator.startAll();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && seen.filter((m) => m.topic === 'order.filled').length < 2) await sleep(100);
    await app.orchestrator.stopAll('test over');

    // The run did what a run does: the agents read the configuration over the bus, and orders filled.
    expect(seen.filter((m) => m.topic === 'config.get' && m.correlationId !== undefined).length).toBeGreaterThanOrEqual(5);
    expect(seen.filter((m) => m.topic === 'order.filled').length).toBeGreaterThanOrEqual(2);
    const leaking = seen.filter((m) => {
      const text = JSON.stringify(m);
      return text.includes('key-6f1e9a3c77') || text.includes('secret-0d2b58e4c1');
    });
    expect(leaking.map((m) => m.topic)).toEqual([]);
    // The served configuration says the keys are set, without saying what they are.
    const reply = seen.find((m) => m.topic === 'config.get' && m.correlationId !== undefined);
    expect((reply?.payload as { exchange: object }).exchange).toMatchObject({ apiKey: '[REDACTED]', secret: '[REDACTED]', password: '' });
  }, 40_000);
});
