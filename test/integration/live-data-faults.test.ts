import path from 'node:path';
import { buildApp, type App } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/load-config';
import { SystemClock } from '../../src/core/clock';
import { createExchange } from '../../src/exchange/create-exchange';
import { CcxtLiveSource } from '../../src/market/live/ccxt-live-source';
import type { Candle } from '../../src/market/types';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { MemoryLogger } from '../helpers/memory-logger';
import { DEFAULT_CONFIG_FILE, STRATEGIES_DIR } from '../helpers/test-app';

const MINUTE = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The real DataAgent and live source on the system clock against the fake exchange's streams, with the
 * stale threshold short enough for a test (the source's own defaults are minutes).
 */
describe('live data through dropped and stalled streams', () => {
  let fake: FakeExchange;
  let app: App;
  const candles: Candle[] = [];
  const notices: string[] = [];
  const connections: Array<{ connected: boolean; part: string }> = [];
  const errorKinds: string[] = [];
  const exchange = (): ReturnType<typeof createExchange> => createExchange('binance', { pro: true, baseUrl: fake.url, timeoutMs: 2000 });

  beforeAll(async () => {
    fake = await createFakeExchange({ symbols: ['BTC/USDT'], timeframe: '1m', speed: 10, seed: 3 });
    const loaded = loadConfig({
      defaultFile: DEFAULT_CONFIG_FILE,
      env: { BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_MARKET_SYMBOLS: 'BTC/USDT', BOT_MARKET_SOURCE: 'exchange', BOT_MARKET_TIMEFRAME: '1m', BOT_MARKET_HISTORY_LENGTH: '50' },
    });
    const clock = new SystemClock();
    const ccxt = exchange();
    const source = new CcxtLiveSource({
      exchange: ccxt,
      clock,
      symbols: ['BTC/USDT'],
      timeframe: '1m',
      pollIntervalMs: 200,
      staleFloorMs: 1000,
      staleCheckMs: 100,
      reconnect: { baseMs: 100, capMs: 400 },
    });
    app = buildApp({
      loaded,
      reloadConfig: () => loaded,
      clock,
      logger: new MemoryLogger(),
      strategiesDir: STRATEGIES_DIR,
      liveness: false,
      marketSource: { ...source, kind: 'live', description: source.description, symbols: source.symbols, timeframe: source.timeframe, warmup: (n) => source.warmup(n), start: (h) => source.start(h), stop: async () => { await source.stop(); await ccxt.close(); } },
    });
    app.bus.subscribe('test', 'market.candles', ({ payload }) => {
      candles.push(...payload.candles);
    });
    app.bus.subscribe('test', 'exchange.connection', ({ payload }) => void connections.push({ connected: payload.connected, part: payload.part }));
    app.bus.subscribe('test', 'exchange.error', ({ payload }) => void errorKinds.push(payload.kind));
    app.bus.subscribe('test', 'market.stale', () => {
      notices.push('stale');
    });
    app.bus.subscribe('test', 'market.resumed', () => {
      notices.push('resumed');
    });
    await app.orchestrator.startAll();
  }, 20_000);

  afterAll(async () => {
    await app.orchestrator.stopAll('test over');
    await fake.close();
  });

  it('reconnects after every socket is dropped and backfills: no gap, no duplicate', async () => {
    await until('live candles', () => candles.length >= 5);
    for (let drop = 0; drop < 3; drop++) {
      fake.streams.drop('all');
      const seen = candles.length;
      await until('candles after the reconnect', () => candles.length >= seen + 5);
    }
    expectTheExchangesCandles();
    // Each drop was announced as the market connection going down, then back, for the alerts and /metrics.
    expect(connections.length).toBeGreaterThanOrEqual(2);
    connections.forEach((c, i) => expect(c).toEqual({ part: 'market', connected: i % 2 === 1 }));
    expect(errorKinds.length).toBeGreaterThan(0);
    expect(errorKinds.every((k) => /Error|Exception/.test(k))).toBe(true);
  }, 30_000);

  it('restarts the DataAgent while live: the feed goes on from its last candle, no gap, no duplicate', async () => {
    await until('live candles', () => candles.length >= 2);
    await app.orchestrator.restart('data');
    const seen = candles.length;
    await until('candles after the restart', () => candles.length >= seen + 5);
    expectTheExchangesCandles();
  }, 30_000);

  function expectTheExchangesCandles(): void {
    const times = candles.map((c) => c.time);
    const steps = times.slice(1).map((t, i) => t - times[i]!);
    expect(steps.every((step) => step === MINUTE)).toBe(true);
    // The closed candles are the exchange's own.
    const served = fake.klines('BTC/USDT', '1m', { startTime: times[0]!, limit: times.length });
    expect(candles.map((c) => [c.time, c.open, c.high, c.low, c.close])).toEqual(served.slice(0, times.length).map((r) => r.slice(0, 5)));
  }

  it('says market.stale when the streams go silent and market.resumed when they speak again', async () => {
    // The reconnects above may themselves have gone stale for a moment: start from fresh data.
    await until('fresh data', () => notices.at(-1) !== 'stale');
    const flowing = candles.length;
    await until('live candles', () => candles.length >= flowing + 2);
    const from = notices.length;
    // A socket that ccxt reopens late, after the drops above (its own reconnect backoff), would not be
    // stalled by one call and would keep the symbol fresh: every socket is stalled until the stale notice.
    fake.streams.stall('all');
    const stalling = setInterval(() => fake.streams.stall('all'), 50);
    try {
      await until('market.stale', () => notices.slice(from).includes('stale'));
    } finally {
      clearInterval(stalling);
    }
    const before = candles.length;
    fake.streams.resume('all');
    await until('market.resumed', () => notices.slice(from).includes('resumed'));
    await until('candles after the stall', () => candles.length >= before + 3);
    expect(notices.slice(from)).toEqual(['stale', 'resumed']);
    const times = candles.map((c) => c.time);
    expect(times.slice(1).every((t, i) => t - times[i]! === MINUTE)).toBe(true);
  }, 30_000);
});
