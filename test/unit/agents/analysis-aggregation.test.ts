import path from 'node:path';
import type { SignalRejected } from '../../../src/bus/topics';
import type { Candle, MarketEvent, MarketSource } from '../../../src/market/types';
import { TEST_STRATEGIES_DIR, testApp } from '../../helpers/test-app';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');
const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function market(count: number): MarketSource {
  let i = 0;
  return {
    description: 'flat test market',
    symbols: ['BTC/USDT'],
    timeframe: '1m',
    next: (): MarketEvent[] | undefined => {
      if (i >= count) return undefined;
      const candle: Candle = { symbol: 'BTC/USDT', timeframe: '1m', time: T0 + i++ * MINUTE, open: 100, high: 100, low: 100, close: 100, volume: 1 };
      return [{ kind: 'candle', candle }];
    },
  };
}

/** Runs the paper engine over flat candles with the given strategies and settings; returns signals and rejections. */
async function run(count: number, env: Record<string, string>) {
  const app = testApp({ marketSource: market(count), strategiesDir: APP_STRATEGIES, env: { BOT_MARKET_SYMBOLS: 'BTC/USDT', BOT_MARKET_SPEED: '1000', BOT_TRADE_STOP_LOSS_PCT: '0', ...env } });
  const signals: string[] = [];
  const rejected: SignalRejected[] = [];
  app.bus.subscribe('test', 'signal.emitted', ({ payload }) => {
    signals.push(`${(payload.candleTime - T0) / MINUTE} ${payload.action} by ${payload.strategy}`);
  });
  app.bus.subscribe('test', 'signal.rejected', ({ payload }) => {
    rejected.push(payload);
  });
  let ended = false;
  app.bus.subscribe('test', 'market.ended', () => {
    ended = true;
  });
  await app.orchestrator.startAll();
  while (!ended) app.clock.advance(10);
  await app.orchestrator.stopAll('test over');
  return { signals, rejected, warnings: app.logger.messages('warn') };
}

const scripted = (enterAt: string, exitAt: string) => ({ enterAt, exitAt });

describe('AnalysisAgent deciding with several strategies', () => {
  it('majority: a lone entry is rejected as aggregation; two agreeing strategies send one signal', async () => {
    // flip-flop (every 2, hold 1) enters on even candle counts; scripted enters only on candle 4.
    const { signals, rejected } = await run(6, {
      BOT_ANALYSIS_STRATEGIES: 'flip-flop,scripted',
      BOT_ANALYSIS_COMBINE: 'majority',
      BOT_STRATEGY_PARAMS: JSON.stringify({ 'flip-flop': { every: 2, hold: 1 }, scripted: scripted('4', '') }),
    });
    // Candle counts are 1-based: count 2 is candle index 1.
    expect(signals).toEqual(['3 enter by flip-flop']);
    const aggregation = rejected.filter((r) => r.reason === 'aggregation');
    expect(aggregation.map((r) => `${(r.candleTime - T0) / MINUTE} ${r.strategy} ${r.action}: ${r.detail}`)).toEqual([
      '1 flip-flop enter: 1 of 2 strategies agree, not a majority',
      "3 scripted enter: merged into flip-flop's signal",
      '4 flip-flop exit: 1 of 2 strategies agree, not a majority',
    ]);
  });

  it('cooldown: no entry for N candles after an exit; the refusals are reported', async () => {
    const { signals, rejected } = await run(10, {
      BOT_ANALYSIS_STRATEGIES: 'flip-flop',
      BOT_ANALYSIS_COOLDOWN_CANDLES: '3',
      BOT_STRATEGY_PARAMS: JSON.stringify({ 'flip-flop': { every: 2, hold: 1 } }),
    });
    // Enter on index 1 (fills at 2), exit on 2 (fills at 3): entries on candles 3 to 5 are cooled down; the
    // exit on 8 fills at 9, so the entry wanted on 9 is too.
    expect(signals).toEqual(['1 enter by flip-flop', '2 exit by flip-flop', '7 enter by flip-flop', '8 exit by flip-flop']);
    expect(rejected.filter((r) => r.reason === 'cooldown').map((r) => (r.candleTime - T0) / MINUTE)).toEqual([3, 5, 9]);
  });

  it('reports a signal given during the warm-up, and one the risk rules refuse', async () => {
    const { rejected, warnings } = await run(4, { BOT_ANALYSIS_STRATEGIES: 'eager', BOT_TRADE_STAKE: '5', BOT_TRADE_MIN_NOTIONAL: '10' });
    // eager declares 1h candles; this market is 1m.
    expect(warnings).toContain('strategy eager was designed for 1h candles and runs on 1m: its periods now span other lengths of time');
    expect(rejected.map((r) => `${(r.candleTime - T0) / MINUTE} ${r.reason}`)).toEqual(['0 warm-up', '1 warm-up', '2 risk', '3 risk']);
    expect(rejected[0]?.detail).toBe('eager is still warming up (3 candles)');
    expect(rejected[2]?.detail).toMatch(/^\[below-min-notional\] entry of 5\.00 USDT in BTC\/USDT refused/);
  });
});
