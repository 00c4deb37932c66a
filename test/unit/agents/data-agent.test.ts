import path from 'node:path';
import type { MarketPeriod } from '../../../src/bus/topics';
import type { Candle, MarketEvent, MarketSource, Tick } from '../../../src/market/types';
import { TEST_STRATEGIES_DIR, testApp } from '../../helpers/test-app';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');
const MINUTE = 60_000;

function candle(time: number, over: Partial<Candle> = {}): Candle {
  return { symbol: 'BTC/USDT', timeframe: '1m', time, open: 100, high: 101, low: 99, close: 100.5, volume: 1, ...over };
}
function tick(time: number, over: Partial<Tick> = {}): Tick {
  return { symbol: 'BTC/USDT', time, price: 100, volume: 0.1, ...over };
}

/** A source that plays scripted periods, then ends. */
function scripted(periods: MarketEvent[][]): MarketSource {
  let at = 0;
  return { description: 'scripted test market', symbols: ['BTC/USDT'], timeframe: '1m', next: () => periods[at++] };
}

function appWith(periods: MarketEvent[][], env: Record<string, string> = {}) {
  const app = testApp({
    marketSource: scripted(periods),
    strategiesDir: APP_STRATEGIES,
    env: { BOT_MARKET_SYMBOLS: 'BTC/USDT', BOT_ANALYSIS_STRATEGIES: 'flip-flop', BOT_MARKET_SPEED: '100', ...env },
  });
  const published: string[] = [];
  app.bus.tap((m) => {
    if (m.topic === 'market.tick' || m.topic === 'market.candles') published.push(`${m.topic}@${(m.payload as { time: number }).time}`);
  });
  let ended: string | undefined;
  app.bus.subscribe('test', 'market.ended', ({ payload }) => {
    ended = `${payload.candles}: ${payload.reason}`;
  });
  return { app, published, ended: () => ended };
}

describe('DataAgent', () => {
  it('publishes nothing before every agent runs, then plays the source at the configured speed', async () => {
    const { app, published } = appWith([[{ kind: 'candle', candle: candle(0) }], [{ kind: 'candle', candle: candle(MINUTE) }]]);
    await app.orchestrator.startAll();
    expect(published).toEqual([]);
    app.clock.advance(10);
    expect(published).toEqual(['market.candles@0']);
    app.clock.advance(10);
    expect(published).toEqual(['market.candles@0', `market.candles@${MINUTE}`]);
  });

  it('drops bad data, counts it and warns once per kind', async () => {
    const { app, published } = appWith([
      [{ kind: 'tick', tick: tick(1) }, { kind: 'tick', tick: tick(2, { price: Number.NaN }) }, { kind: 'tick', tick: tick(3, { price: -5 }) }],
      [{ kind: 'candle', candle: candle(0) }, { kind: 'candle', candle: candle(MINUTE, { high: 98 }) }],
      [{ kind: 'candle', candle: candle(0) }, { kind: 'tick', tick: tick(4, { price: Number.NaN }) }],
      [{ kind: 'candle', candle: candle(2 * MINUTE) }],
    ]);
    await app.orchestrator.startAll();
    app.clock.advance(100);
    expect(published).toEqual(['market.tick@1', 'market.candles@0', `market.candles@${2 * MINUTE}`]);
    const warnings = app.logger.messages('warn').filter((m) => m.startsWith('dropped'));
    expect(warnings).toEqual([
      'dropped a tick of BTC/USDT: not-a-number (further ones of this kind are only counted)',
      'dropped a tick of BTC/USDT: non-positive-price (further ones of this kind are only counted)',
      'dropped a candle of BTC/USDT: high-below-low (further ones of this kind are only counted)',
      'dropped a candle of BTC/USDT: time-not-increasing (further ones of this kind are only counted)',
    ]);
    await app.orchestrator.stopAll('test');
    expect(app.logger.messages('warn')).toContain(
      'bad market data dropped: not-a-number 2, non-positive-price 1, high-below-low 1, time-not-increasing 1',
    );
  });

  it('ends the feed when the source runs dry, and after --candles periods', async () => {
    const dry = appWith([[{ kind: 'candle', candle: candle(0) }]]);
    await dry.app.orchestrator.startAll();
    dry.app.clock.advance(100);
    expect(dry.ended()).toBe('1: the market source has no more data');

    const periods = [0, 1, 2, 3, 4].map((i): MarketEvent[] => [{ kind: 'candle', candle: candle(i * MINUTE) }]);
    const limited = appWith(periods, { BOT_RUN_CANDLES: '3' });
    await limited.app.orchestrator.startAll();
    limited.app.clock.advance(1_000);
    expect(limited.ended()).toBe('3: 3 candles played (--candles)');
    expect(limited.published).toHaveLength(3);
  });

  it('answers market.history with the last closed candles, oldest first, within the configured length', async () => {
    const periods = Array.from({ length: 15 }, (_, i): MarketEvent[] => [{ kind: 'candle', candle: candle(i * MINUTE) }]);
    const { app } = appWith(periods, { BOT_MARKET_HISTORY_LENGTH: '10' });
    await app.orchestrator.startAll();
    app.clock.advance(1_000);
    const all = await app.bus.request('test', 'market.history', { symbol: 'BTC/USDT', timeframe: '1m' });
    expect(all.map((c) => c.time / MINUTE)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const last3 = await app.bus.request('test', 'market.history', { symbol: 'BTC/USDT', timeframe: '1m', limit: 3 });
    expect(last3.map((c) => c.time / MINUTE)).toEqual([12, 13, 14]);
  });
});

describe('DataAgent market.period', () => {
  const eth = (time: number, over: Partial<Candle> = {}): Candle => candle(time, { symbol: 'ETH/USDT', open: 10, high: 11, low: 9, close: 10.5, ...over });
  const at = (c: Candle): MarketEvent => ({ kind: 'candle', candle: c });

  /**
   * The market topics in publish order: "tick SYMBOL@ms", and "candles MINUTE: SYMBOL@minute ..." and
   * "period MINUTE: SYMBOL@minute ..." with the candles each carries.
   */
  function run(periods: MarketEvent[][]) {
    const app = testApp({
      marketSource: scripted(periods),
      strategiesDir: APP_STRATEGIES,
      env: { BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT', BOT_ANALYSIS_STRATEGIES: 'flip-flop', BOT_MARKET_SPEED: '100' },
    });
    const seen: string[] = [];
    const payloads: { topic: string; payload: MarketPeriod }[] = [];
    app.bus.tap((m) => {
      if (m.topic === 'market.candles' || m.topic === 'market.period') {
        const payload = m.payload as MarketPeriod;
        payloads.push({ topic: m.topic, payload });
        const candles = payload.candles.map((c) => `${c.symbol.split('/')[0]}@${c.time / MINUTE}`);
        seen.push(`${m.topic === 'market.period' ? 'period' : 'candles'} ${payload.time / MINUTE}: ${candles.join(' ')}`);
      } else if (m.topic === 'market.tick') {
        const { symbol, time } = m.payload as Tick;
        seen.push(`tick ${symbol.split('/')[0]}@${time}`);
      }
    });
    return { app, seen, payloads };
  }

  it('publishes each period\'s candles once, together, with only the candles the guard let through', async () => {
    const { app, seen } = run([
      [at(candle(0)), at(eth(0))],
      // BTC's candle is refused (high below low); the tick is no candle.
      [{ kind: 'tick', tick: tick(MINUTE + 1) }, at(candle(MINUTE, { high: 98 })), at(eth(MINUTE))],
      // Every candle refused (not after the last accepted one): no candles and no period at all.
      [at(candle(0)), at(eth(MINUTE))],
      // Ticks only: no period.
      [{ kind: 'tick', tick: tick(MINUTE + 2) }],
      // In the order the source gave them.
      [at(eth(2 * MINUTE)), at(candle(2 * MINUTE))],
    ]);
    await app.orchestrator.startAll();
    app.clock.advance(1_000);
    expect(seen).toEqual([
      'candles 0: BTC@0 ETH@0',
      'period 0: BTC@0 ETH@0',
      'tick BTC@60001',
      'candles 1: ETH@1',
      'period 1: ETH@1',
      'tick BTC@60002',
      'candles 2: ETH@2 BTC@2',
      'period 2: ETH@2 BTC@2',
    ]);
    // The guard's refusals kept nothing: BTC has 0 and 2, ETH 0, 1 and 2.
    const btc = await app.bus.request('test', 'market.history', { symbol: 'BTC/USDT', timeframe: '1m' });
    const ethHistory = await app.bus.request('test', 'market.history', { symbol: 'ETH/USDT', timeframe: '1m' });
    expect(btc.map((c) => c.time / MINUTE)).toEqual([0, 2]);
    expect(ethHistory.map((c) => c.time / MINUTE)).toEqual([0, 1, 2]);
    await app.orchestrator.stopAll('test');
    expect(app.logger.messages('warn')).toContain('bad market data dropped: high-below-low 1, time-not-increasing 2');
  });

  it('publishes one period per period, with the period\'s time, for a single symbol', async () => {
    const { app, seen } = run([0, 1, 2].map((i) => [at(candle(i * MINUTE))]));
    await app.orchestrator.startAll();
    app.clock.advance(1_000);
    expect(seen.filter((s) => s.startsWith('period'))).toEqual(['period 0: BTC@0', 'period 1: BTC@1', 'period 2: BTC@2']);
  });

  it('publishes market.candles then market.period with the very same payload, after all of the period\'s ticks', async () => {
    const btc = candle(MINUTE, { open: 101, high: 103, low: 100, close: 102 });
    const ethCandle = eth(MINUTE);
    // Ticks and candles mixed as a source may give them: the ticks still come first, one by one, in order.
    const { app, seen, payloads } = run([
      [
        { kind: 'tick', tick: tick(MINUTE + 1, { price: 101 }) },
        at(btc),
        { kind: 'tick', tick: tick(MINUTE + 2, { symbol: 'ETH/USDT', price: 10 }) },
        at(ethCandle),
        { kind: 'tick', tick: tick(MINUTE + 3, { price: 102 }) },
      ],
    ]);
    await app.orchestrator.startAll();
    app.clock.advance(10);
    expect(seen).toEqual(['tick BTC@60001', 'tick ETH@60002', 'tick BTC@60003', 'candles 1: BTC@1 ETH@1', 'period 1: BTC@1 ETH@1']);
    expect(payloads.map((p) => p.topic)).toEqual(['market.candles', 'market.period']);
    const [candles, period] = payloads;
    expect(period?.payload).toBe(candles?.payload);
    expect(candles?.payload).toEqual({ time: MINUTE, candles: [btc, ethCandle] });
  });
});
