import type { App } from '../../src/app/build-app';
import type { Fault, FaultMatch } from '../fake-exchange/fake-exchange';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { MemoryLogger } from '../helpers/memory-logger';
import { liveFlipFlopApp } from '../helpers/live-app';

const ORDER = '/api/v3/order';
const TARGET_FAULTS = Number(process.env['FAULT_RUN_TARGET'] ?? 200);
/** Five markets trade side by side, so an order whose outcome is being settled holds up only its own. */
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT'];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One kind of injected fault: a scripted answer to a matching request, or something done to the sockets. */
type Injection = { name: string; weight: number } & ({ match: FaultMatch; fault: Fault } | { stream: (fake: FakeExchange) => number });

const create: FaultMatch = { path: ORDER, method: 'POST' };
/**
 * Every fault kind of the issue. The weights keep the run short: an order whose outcome stays unknown
 * (a timeout or 5xx that placed nothing) holds its symbol until the exchange's recvWindow proves it was
 * never placed, so those come less often than the cheap ones. Socket faults keep a schedule of their own.
 */
const INJECTIONS: Injection[] = [
  { name: '429 on create', weight: 3, match: create, fault: { type: 'rate-limit', retryAfterSec: 1 } },
  { name: '418 on create', weight: 1, match: create, fault: { type: 'ip-ban', retryAfterSec: 1 } },
  { name: '500 on create, placed', weight: 2, match: create, fault: { type: 'server-error', status: 500, processed: true } },
  { name: '502 on create, placed', weight: 2, match: create, fault: { type: 'server-error', status: 502, processed: true } },
  { name: '503 on create, not placed', weight: 1, match: create, fault: { type: 'server-error', status: 503, processed: false } },
  { name: 'timeout on create, placed', weight: 3, match: create, fault: { type: 'timeout', processed: true } },
  { name: 'timeout on create, not placed', weight: 1, match: create, fault: { type: 'timeout', processed: false } },
  { name: '-1021 on create', weight: 3, match: create, fault: { type: 'timestamp' } },
  { name: 'filter failure on create', weight: 3, match: create, fault: { type: 'filter-failure', filter: 'LOT_SIZE' } },
  { name: 'fill before the acknowledgement', weight: 4, match: create, fault: { type: 'stream-before-ack', delayMs: 150 } },
  { name: '500 on an order query', weight: 2, match: { path: ORDER, method: 'GET' }, fault: { type: 'server-error', status: 500 } },
  { name: '429 on open orders', weight: 2, match: { path: '/api/v3/openOrders' }, fault: { type: 'rate-limit', retryAfterSec: 1 } },
  { name: '503 on the balance', weight: 3, match: { path: '/api/v3/account' }, fault: { type: 'server-error', status: 503 } },
  { name: 'timeout on klines', weight: 2, match: { path: '/api/v3/klines' }, fault: { type: 'timeout' } },
  { name: 'market sockets dropped', weight: 1, stream: (f) => f.streams.drop('market') },
  { name: 'user stream dropped', weight: 1, stream: (f) => f.streams.drop('user') },
  { name: 'market sockets stalled', weight: 1, stream: (f) => f.streams.stall('market', { ms: 800 }) },
];

describe('live trading through 200+ injected faults', () => {
  let fake: FakeExchange;
  let app: App;
  const logger = new MemoryLogger();
  const submitted = new Set<string>();
  const fills: number[] = [];
  const unhandled: unknown[] = [];
  /** What happened when, for FAULT_RUN_LOG: a failure here is read from it. */
  const timeline: string[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    fake = await createFakeExchange({ symbols: SYMBOLS, timeframe: '1m', speed: 20, seed: 11, balances: { USDT: 50_000 } });
    app = liveFlipFlopApp(fake, logger, {
      BOT_MARKET_SYMBOLS: SYMBOLS.join(','),
      BOT_RISK_MAX_OPEN_POSITIONS: String(SYMBOLS.length),
      BOT_MARKET_HISTORY_LENGTH: '50',
      BOT_EXCHANGE_TIMEOUT_MS: '800',
      BOT_PORTFOLIO_START_BALANCE: '50000',
      BOT_TRADE_STAKE: '2%',
    });
    app.bus.subscribe('test', 'order.submitted', ({ payload }) => {
      timeline.push(`${Date.now()} submitted ${payload.order.clientOrderId} ${payload.order.side} ${payload.order.symbol}`);
      submitted.add(payload.order.clientOrderId);
    });
    app.bus.subscribe('test', 'order.filled', ({ payload }) => {
      fills.push(Date.now());
      timeline.push(`${Date.now()} filled ${payload.fill.clientOrderId}`);
    });
    const lastCandle = new Map<string, number>();
    app.bus.subscribe('test', 'market.candles', ({ payload }) => {
      for (const { symbol } of payload.candles) {
        const gap = Date.now() - (lastCandle.get(symbol) ?? Date.now());
        if (gap > 1000) timeline.push(`${Date.now()} candles of ${symbol} resume after ${gap} ms`);
        lastCandle.set(symbol, Date.now());
      }
    });
    app.bus.subscribe('test', 'order.denied', ({ payload }) => {
      if (payload.denial.code === 'exit-pending' || payload.denial.code === 'already-in-position') {
        timeline.push(`${Date.now()} pending-denial ${payload.order.symbol}`);
        return;
      }
      timeline.push(`${Date.now()} denied ${payload.order.clientOrderId} ${payload.denial.code}`);
    });
    await app.orchestrator.startAll();
  }, 30_000);

  afterAll(async () => {
    if (process.env['FAULT_RUN_LOG']) require('node:fs').writeFileSync(process.env['FAULT_RUN_LOG'], [...logger.lines.map((l) => `${l.agent ?? ''} ${l.level} ${l.message}`), '--- timeline', ...timeline].join('\n'));
    await app?.orchestrator.stopAll('test over');
    await fake?.close();
    process.off('unhandledRejection', onUnhandled);
    if (process.env['FAULT_RUN_LOG']) {
      await sleep(2000);
      const handles = (process as unknown as { _getActiveHandles(): Array<{ constructor: { name: string }; _idleTimeout?: number; _onTimeout?: { toString(): string } }> })._getActiveHandles();
      require('node:fs').appendFileSync(process.env['FAULT_RUN_LOG'], '\n--- resources ' + JSON.stringify(process.getActiveResourcesInfo()) + '\n--- handles\n' + handles.map((h) => `${h.constructor.name} ${h._idleTimeout ?? ''} ${String(h._onTimeout ?? '').slice(0, 300)}`).join('\n'));
    }
  });

  it('sends no order twice, leaves no order unknown to the bot, and trades on to the end', async () => {
    const rest = INJECTIONS.filter((i): i is Extract<Injection, { fault: Fault }> => 'fault' in i);
    const streams = INJECTIONS.filter((i): i is Extract<Injection, { stream: unknown }> => 'stream' in i);
    const restDeck = rest.flatMap((injection) => Array.from({ length: injection.weight }, () => injection));
    const userDrop = streams.find((i) => i.name === 'user stream dropped')!;
    const marketFaults = streams.filter((i) => i !== userDrop);
    const applied = new Map<string, number>();
    const count = (name: string): void => {
      applied.set(name, (applied.get(name) ?? 0) + 1);
    };
    // A scripted fault counts once a request has met it; its object says which kind it was.
    const landed = (): number => {
      for (const injection of rest) applied.delete(injection.name);
      let n = 0;
      for (const request of fake.requests) {
        const injection = request.fault && rest.find((i) => i.fault === request.fault);
        if (!injection) continue;
        count(injection.name);
        n += 1;
      }
      return n;
    };
    let streamFaults = 0;
    let restTurn = 0;
    let marketTurn = 0;
    let rounds = 0;
    const deadline = Date.now() + 240_000;
    while (landed() + streamFaults < TARGET_FAULTS || applied.size < INJECTIONS.length) {
      if (Date.now() > deadline) throw new Error(`only ${landed() + streamFaults} faults landed in time: ${JSON.stringify([...applied])}`);
      // A few scripted faults wait for requests at any time, each for its own kind of request.
      while (fake.faults.pending() < 6) {
        const injection = restDeck[restTurn++ % restDeck.length]!;
        fake.faults.next({ match: injection.match, fault: injection.fault });
      }
      // The user stream is dropped often (cheap: orders still answer over REST); market data is cut only
      // every few seconds, since a feed dropped faster than it can reconnect and backfill never recovers.
      rounds += 1;
      const due = rounds % 80 === 0 ? marketFaults[(marketTurn++) % marketFaults.length] : rounds % 5 === 0 ? userDrop : undefined;
      if (due && due.stream(fake) > 0) {
        streamFaults += 1;
        count(due.name);
      }
      await sleep(100);
    }
    fake.faults.clear();
    const faultsEnd = Date.now();
    timeline.push(`${faultsEnd} faults ${landed() + streamFaults}: ${JSON.stringify([...applied])}`);

    // Still trading: fills keep coming once the faults stop.
    const deadlineAfter = Date.now() + 40_000;
    while (fills.filter((t) => t > faultsEnd).length < 3) {
      if (Date.now() > deadlineAfter) throw new Error('no fills after the faults stopped');
      await sleep(100);
    }
    // Let in-flight work settle before the books are compared.
    await sleep(1500);

    const onExchange = fake.orders().map((o) => o.clientOrderId);
    // 0 duplicate orders: every order on the exchange has its own client id, and each is one the bot sent.
    expect(new Set(onExchange).size).toBe(onExchange.length);
    const unknownToBot = onExchange.filter((id) => !submitted.has(id));
    expect(unknownToBot).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(landed() + streamFaults).toBeGreaterThanOrEqual(TARGET_FAULTS);
    expect([...applied.keys()].sort()).toEqual(INJECTIONS.map((i) => i.name).sort());
    // The faults were felt (refusals, unknown outcomes settled, reconnects) and nothing leaked a secret.
    const text = logger.lines.map((l) => l.message).join('\n');
    expect(text).not.toContain(fake.secret);
    expect(text).not.toContain(fake.apiKey);
    expect(onExchange.length).toBeGreaterThan(20);
  }, 330_000);
});
