/**
 * The supervisor on the whole paper bot: the DataAgent or the TradeAgent fails mid-run and is restarted
 * alone; the market goes on with no candle lost or repeated, and no order is lost.
 */
import path from 'node:path';
import type { MarketPeriod, OrderFilled, OrderSubmitted } from '../../src/bus/topics';
import { Journal } from '../../src/state/journal';
import { TEST_STRATEGIES_DIR, testApp, type TestAppOptions } from '../helpers/test-app';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');
const ENV = {
  BOT_MARKET_SPEED: '1000',
  BOT_MONITOR_STATUS_INTERVAL_MS: '0',
  BOT_RUN_CANDLES: '800',
  BOT_ANALYSIS_STRATEGIES: 'flip-flop',
  BOT_TRADE_STOP_LOSS_PCT: '1',
  BOT_MONITOR_RESTART_BACKOFF_MS: '2000',
};

interface Run {
  periods: number[];
  fills: OrderFilled[];
  submitted: OrderSubmitted[];
  restarted: string[];
  errors: string[];
}

/** Runs the app to the end of the market; `during` may break an agent as the periods go by. */
async function run(options: TestAppOptions, during?: (period: MarketPeriod, app: ReturnType<typeof testApp>, sofar: Run) => void): Promise<Run> {
  const app = testApp({ strategiesDir: APP_STRATEGIES, ...options, env: { ...ENV, ...options.env } });
  const out: Run = { periods: [], fills: [], submitted: [], restarted: [], errors: [] };
  let ended = false;
  app.bus.subscribe('test', 'market.period', ({ payload }) => {
    out.periods.push(payload.time);
    during?.(payload, app, out);
  });
  app.bus.subscribe('test', 'order.filled', ({ payload }) => void out.fills.push(payload));
  app.bus.subscribe('test', 'order.submitted', ({ payload }) => void out.submitted.push(payload));
  app.bus.subscribe('test', 'agent.restarted', ({ payload }) => void out.restarted.push(payload.agent));
  app.bus.subscribe('test', 'market.ended', () => {
    ended = true;
  });
  await app.orchestrator.startAll();
  for (let step = 0; !ended; step++) {
    if (step > 100_000) throw new Error('the market never ended');
    app.clock.advance(100);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
  await app.orchestrator.stopAll('test over');
  out.errors = app.logger.messages('error');
  return out;
}

const strip = (fills: OrderFilled[]) => fills.map(({ fill }) => fill);

describe('supervision of the paper bot', () => {
  it('restarts a faulted DataAgent mid-run: every candle period comes once, in order, and the trades are those of an unbroken run', async () => {
    const unbroken = await run({});
    let broken = false;
    const restarted = await run({}, (period, app) => {
      if (!broken && unbroken.periods.indexOf(period.time) === 300) {
        broken = true;
        app.agent('data').fault(new Error('the feed broke'));
      }
    });
    expect(broken).toBe(true);
    expect(restarted.restarted).toEqual(['data']);
    expect(restarted.periods).toHaveLength(800);
    expect(restarted.periods).toEqual(unbroken.periods);
    expect(unbroken.fills.length).toBeGreaterThan(20);
    expect(strip(restarted.fills)).toEqual(strip(unbroken.fills));
  });

  it('restarts a faulted TradeAgent with an order in flight: the order is restored from the journal and fills once', async () => {
    const journal = Journal.inMemory();
    let pendingAtFault: string[] | undefined;
    // A short backoff: the market plays a candle a millisecond, and must not end before the restart.
    const restarted = await run({ journal, env: { BOT_MONITOR_RESTART_BACKOFF_MS: '20' } }, (_period, app, sofar) => {
      if (pendingAtFault !== undefined) return;
      const pending = sofar.submitted.map((s) => s.order.clientOrderId).filter((id) => !sofar.fills.some((f) => f.fill.clientOrderId === id));
      if (sofar.submitted.length >= 10 && pending.length > 0) {
        pendingAtFault = pending;
        app.agent('trade').fault(new Error('the broker broke'));
      }
    });
    journal.close();
    expect(pendingAtFault).toBeDefined();
    expect(restarted.restarted).toEqual(['trade']);
    // Each order left before the fault filled after the restart, and no order filled twice.
    for (const id of pendingAtFault!) expect(restarted.fills.filter((f) => f.fill.clientOrderId === id)).toHaveLength(1);
    const ids = restarted.fills.map((f) => f.fill.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    // New orders after the restart do not reuse an id.
    const submittedIds = restarted.submitted.map((s) => s.order.clientOrderId);
    expect(new Set(submittedIds).size).toBe(submittedIds.length);
    expect(restarted.periods).toHaveLength(800);
    expect(restarted.errors.filter((e) => !e.includes('the broker broke'))).toEqual([]);
  });
});

