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
  /** Every message of these topics, in order. */
  seen: Array<{ topic: string; payload: unknown }>;
}

/** Runs the app to the end of the market; `during` may break an agent as the periods go by. */
async function run(options: TestAppOptions, during?: (period: MarketPeriod, app: ReturnType<typeof testApp>, sofar: Run) => void): Promise<Run> {
  const app = testApp({ strategiesDir: APP_STRATEGIES, ...options, env: { ...ENV, ...options.env } });
  const out: Run = { periods: [], fills: [], submitted: [], restarted: [], errors: [], seen: [] };
  for (const topic of ['system.safeMode', 'alert.raised', 'risk.state', 'order.denied'] as const) {
    app.bus.subscribe('test', topic, ({ payload }) => void out.seen.push({ topic, payload }));
  }
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

  it('enters safe mode when an agent keeps faulting: trading halts, a critical alert fires, and the bot plays on to the end', async () => {
    // A fault while the agent runs, first at period 100, then 20 periods after each restart: four in all.
    let n = 0;
    let nextFault = 100;
    let faults = 0;
    let submittedBeforeSafeMode: number | undefined;
    const run1 = await run({ env: { BOT_MONITOR_RESTART_BACKOFF_MS: '5', BOT_MONITOR_RESTART_MAX: '3', BOT_RUN_CANDLES: '4000' } }, (_period, app, sofar) => {
      n += 1;
      if (submittedBeforeSafeMode === undefined && sofar.seen.some((m) => m.topic === 'system.safeMode')) submittedBeforeSafeMode = sofar.submitted.length;
      const analysis = app.agent('analysis');
      if (faults < 4 && n >= nextFault && analysis.currentState === 'running') {
        faults += 1;
        nextFault = n + 20;
        analysis.fault(new Error(`the strategy host broke (${n})`));
      }
    });
    expect(faults).toBe(4);
    expect(run1.restarted).toEqual(['analysis', 'analysis', 'analysis']);
    const safe = run1.seen.filter((m) => m.topic === 'system.safeMode');
    expect(safe).toHaveLength(1);
    expect(safe[0]!.payload).toMatchObject({ agent: 'analysis', restarts: 3 });
    expect(run1.seen.filter((m) => m.topic === 'alert.raised').map((m) => m.payload)).toContainEqual(
      expect.objectContaining({ rule: 'safeMode', level: 'critical' }),
    );
    expect(run1.seen.filter((m) => m.topic === 'risk.state').map((m) => m.payload)).toContainEqual(
      expect.objectContaining({ state: 'halted', protection: 'safe-mode' }),
    );
    // The market plays to the end; after safe mode only the trade side's own protective exits may go out.
    expect(run1.periods).toHaveLength(4000);
    expect(submittedBeforeSafeMode).toBeGreaterThan(0);
    const after = run1.submitted.slice(submittedBeforeSafeMode);
    expect(after.filter((s) => s.order.reason === 'signal')).toEqual([]);
  });
});
