/**
 * The whole bot, all six agents, on the simulated clock: simulated market -> strategies -> risk gate ->
 * paper fills -> ledger.
 */
import { runPaper } from '../helpers/run-paper';
import { TEST_STRATEGIES_DIR } from '../helpers/test-app';
import path from 'node:path';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');
const FAST = { BOT_MARKET_SPEED: '1000', BOT_MONITOR_STATUS_INTERVAL_MS: '0' };

describe('paper trading on the simulated market', () => {
  it('trades with the default strategies over a few thousand candles, the ledger invariant holding after every fill', async () => {
    const run = await runPaper({ env: { ...FAST, BOT_RUN_CANDLES: '3000', BOT_TRADE_STOP_LOSS_PCT: '2' } });
    expect(run.fills.length).toBeGreaterThan(10);
    expect(run.afterFills).toHaveLength(run.fills.length);
    for (const snapshot of run.afterFills) {
      const positionsValue = snapshot.positions.reduce((sum, p) => sum + p.qty * p.lastPrice, 0);
      expect(snapshot.equity).toBeCloseTo(snapshot.cash + positionsValue, 6);
      expect(snapshot.cash).toBeGreaterThanOrEqual(-1e-9);
    }
    const reasons = new Set(run.fills.map((f) => f.fill.reason));
    expect(reasons.has('signal')).toBe(true);
    expect(run.final?.summary.candles).toBe(3000);
    expect(run.final?.summary.trades).toBe(run.closedTrades.length);
    // Without --out the portfolio keeps no trade list: a long run must not grow with its history.
    expect(run.final?.closedTrades).toEqual([]);
  });

  it('fills every signal order at a price after the candle it was decided on', async () => {
    const run = await runPaper({ env: { ...FAST, BOT_RUN_CANDLES: '500', BOT_ANALYSIS_STRATEGIES: 'flip-flop' }, strategiesDir: APP_STRATEGIES });
    const oneMinute = 60_000;
    for (const { order, fill } of run.fills.filter((f) => f.fill.reason === 'signal')) {
      expect(fill.time).toBeGreaterThanOrEqual(order.notBefore ?? 0);
      expect(order.notBefore).toBeDefined();
      expect(fill.time).toBeLessThan((order.notBefore ?? 0) + oneMinute);
    }
  });

  it('gives identical fills for two runs with the same seed', async () => {
    const env = { ...FAST, BOT_RUN_CANDLES: '1500', BOT_ANALYSIS_STRATEGIES: 'flip-flop' };
    const first = await runPaper({ env, strategiesDir: APP_STRATEGIES });
    const second = await runPaper({ env, strategiesDir: APP_STRATEGIES });
    const strip = (fills: typeof first.fills) => fills.map(({ fill }) => fill);
    expect(first.fills.length).toBeGreaterThan(50);
    expect(strip(second.fills)).toEqual(strip(first.fills));
  });

  it('disables a strategy that throws and completes the run with the others', async () => {
    const run = await runPaper({
      env: { ...FAST, BOT_RUN_CANDLES: '400', BOT_ANALYSIS_STRATEGIES: 'explodes-at-candle-50,flip-flop' },
      strategiesDir: APP_STRATEGIES,
      keepMessages: true,
    });
    const disabled = run.messages.filter((m) => m.topic === 'strategy.disabled');
    const why = 'onCandle() threw on BTC/USDT: division by zero in my indicator';
    expect(disabled.map((m) => m.payload)).toEqual([{ strategy: 'explodes-at-candle-50', error: why }]);
    expect(run.app.logger.messages('error')).toContain(`strategy explodes-at-candle-50 is disabled: ${why}`);
    expect(run.final?.summary.candles).toBe(400);
    const fillsAfter = run.fills.filter(({ fill }) => fill.time > (disabled[0]?.ts ?? 0));
    expect(fillsAfter.length).toBeGreaterThan(0);
  });

  it('refuses an entry beyond the position limit with order.denied and its reason code', async () => {
    const run = await runPaper({
      env: { ...FAST, BOT_RUN_CANDLES: '200', BOT_ANALYSIS_STRATEGIES: 'flip-flop', BOT_RISK_MAX_OPEN_POSITIONS: '1' },
      strategiesDir: APP_STRATEGIES,
    });
    const refused = run.denials.filter((d) => d.denial.code === 'max-open-positions');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.order.symbol).toBe('ETH/USDT');
    expect(refused[0]?.denial.message).toMatch(/limit is 1/);
    for (const snapshot of run.afterFills) expect(snapshot.positions.length).toBeLessThanOrEqual(1);
  });
});
