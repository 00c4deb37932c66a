import path from 'node:path';
import type { LiveFeedHandlers, LiveMarketSource } from '../../../src/market/live/types';
import type { MarketPeriod } from '../../../src/bus/topics';
import type { Candle } from '../../../src/market/types';
import { TEST_STRATEGIES_DIR, testApp } from '../../helpers/test-app';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');
const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function candle(index: number, close = 100): Candle {
  return { symbol: 'BTC/USDT', timeframe: '1m', time: T0 + index * MINUTE, open: close, high: close + 1, low: close - 1, close, volume: 1 };
}

/** A live source the test drives by hand: warm-up candles up front, then whatever the test pushes. */
function manualLiveSource(warmupCandles: Candle[]) {
  let handlers: LiveFeedHandlers | undefined;
  const calls: string[] = [];
  const source: LiveMarketSource = {
    kind: 'live',
    description: 'manual live test market',
    symbols: ['BTC/USDT'],
    timeframe: '1m',
    warmup: (limit) => {
      calls.push(`warmup ${limit}`);
      return Promise.resolve(warmupCandles);
    },
    start: (h) => {
      calls.push('start');
      handlers = h;
    },
    stop: () => {
      calls.push('stop');
      return Promise.resolve();
    },
  };
  const feed = (): LiveFeedHandlers => {
    if (!handlers) throw new Error('the source was not started');
    return handlers;
  };
  return { source, calls, feed };
}

function liveApp(warmupCandles: Candle[], params: string, env: Record<string, string> = {}) {
  const live = manualLiveSource(warmupCandles);
  const app = testApp({
    marketSource: live.source,
    strategiesDir: APP_STRATEGIES,
    env: {
      BOT_MARKET_SYMBOLS: 'BTC/USDT',
      BOT_ANALYSIS_STRATEGIES: 'scripted',
      BOT_STRATEGY_PARAMS: JSON.stringify({ scripted: JSON.parse(params) as unknown }),
      BOT_TRADE_STOP_LOSS_PCT: '0',
      ...env,
    },
  });
  const seen: string[] = [];
  app.bus.tap((m) => {
    if (m.topic === 'market.candles') seen.push(`candles ${(m.payload as MarketPeriod).candles.map((c) => (c.time - T0) / MINUTE).join(' ')}`);
    if (m.topic === 'market.stale' || m.topic === 'market.resumed') seen.push(m.topic);
    if (m.topic === 'order.submitted') seen.push('order');
    if (m.topic === 'order.denied') seen.push(`denied ${(m.payload as { denial: { code: string } }).denial.code}`);
  });
  return { app, live, seen };
}

describe('DataAgent with a live source', () => {
  it('puts the warm-up candles in the history without publishing them, and strategies count them', async () => {
    const warm = [0, 1, 2, 3, 4].map((i) => candle(i));
    // The scripted strategy enters on its 7th candle: the 5 warm-up candles count, so the 2nd live one.
    const { app, live, seen } = liveApp(warm, '{"enterAt":"7"}');
    await app.orchestrator.startAll();
    expect(live.calls).toEqual(['warmup 1000', 'start']);
    expect(seen).toEqual([]);
    await expect(app.bus.request('test', 'market.history', { symbol: 'BTC/USDT', timeframe: '1m' })).resolves.toHaveLength(5);

    live.feed().onEvents([{ kind: 'candle', candle: candle(5) }]);
    live.feed().onEvents([{ kind: 'candle', candle: candle(6) }]);
    expect(seen).toEqual(['candles 5', 'candles 6', 'order']);
    await app.orchestrator.stopAll('test over');
    expect(live.calls).toEqual(['warmup 1000', 'start', 'stop']);
  });

  it('drops a bad warm-up candle and keeps the rest', async () => {
    const warm = [candle(0), { ...candle(1), high: 0 }, candle(2)];
    const { app } = liveApp(warm, '{}');
    await app.orchestrator.startAll();
    await expect(app.bus.request('test', 'market.history', { symbol: 'BTC/USDT', timeframe: '1m' })).resolves.toHaveLength(2);
    await app.orchestrator.stopAll('test over');
  });

  it('publishes market.stale and market.resumed; no entry is sent while a symbol is stale', async () => {
    const { app, live, seen } = liveApp([], '{"enterAt":"2,3"}');
    await app.orchestrator.startAll();
    live.feed().onEvents([{ kind: 'candle', candle: candle(0) }]);
    live.feed().onStale({ symbols: ['BTC/USDT'], lastUpdate: T0, thresholdMs: 180_000 });
    live.feed().onEvents([{ kind: 'candle', candle: candle(1) }]);
    live.feed().onResumed({ symbols: ['BTC/USDT'], staleForMs: 200_000 });
    live.feed().onEvents([{ kind: 'candle', candle: candle(2) }]);
    expect(seen).toEqual(['candles 0', 'market.stale', 'candles 1', 'denied stale-data', 'market.resumed', 'candles 2', 'order']);
    expect(app.logger.messages('warn').some((m) => m.includes('market data stale: nothing from BTC/USDT'))).toBe(true);
    await app.orchestrator.stopAll('test over');
  });

  it('ends the feed when --candles live periods have closed, and stops the source', async () => {
    const { app, live } = liveApp([], '{}', { BOT_RUN_CANDLES: '2' });
    const ended: string[] = [];
    app.bus.subscribe('test', 'market.ended', ({ payload }) => {
      ended.push(`${payload.candles}: ${payload.reason}`);
    });
    await app.orchestrator.startAll();
    live.feed().onEvents([{ kind: 'candle', candle: candle(0) }]);
    expect(ended).toEqual([]);
    live.feed().onEvents([{ kind: 'candle', candle: candle(1) }]);
    expect(ended).toEqual(['2: 2 candles played (--candles)']);
    expect(live.calls).toContain('stop');
    await app.orchestrator.stopAll('test over');
  });
});
