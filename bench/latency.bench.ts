/**
 * Latency of the hot path through the real agents: from the publish of a period's first phase,
 * `market.candles` (one symbol, so one candle a period), to the `order.submitted` it causes (fills at the
 * open, then `market.closes` -> AnalysisAgent -> signal pipeline -> `signal.emitted` -> TradeAgent -> order
 * manager -> risk engine -> fill model), over a long run with a strategy that orders on every candle, on the
 * simulated clock. Also checks that the heap does not grow across the run.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startApiServer } from '../src/api/api-server';
import { buildApp, type App } from '../src/app/build-app';
import { BotOperations } from '../src/app/bot-operations';
import type { BotConfig } from '../src/config/schema';
import type { Clock } from '../src/core/clock';
import type { RootLogger } from '../src/logging/logger';
import { loadConfig } from '../src/config/load-config';
import { SystemClock } from '../src/core/clock';
import { SimulatedClock } from '../src/core/simulated-clock';
import { createLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';

const ROOT = path.resolve(__dirname, '..');

export interface LatencyResult {
  candles: number;
  orders: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  heapGrowthMb: number;
  wallSeconds: number;
}

export interface LatencyOptions {
  /**
   * The REST API server on, with one authenticated dashboard WebSocket client receiving every live event, and
   * the Prometheus metrics counting on the bus.
   */
  api?: boolean;
}

/**
 * Simulated time played between two turns of the event loop: 100 periods at the bench's speed. With the API on, the run then waits for the dashboard
 * client to have every event so far: it is in this process, and at a million candles a minute no client
 * keeps up (the server would drop it, and the figure would be one without a client).
 */
const TURN_MS = 10;

export async function runLatencyBench(candles: number, options: LatencyOptions = {}): Promise<LatencyResult & { liveMessages?: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the latency bench with node --expose-gc (npm run bench does)');
  const loaded = loadConfig({
    defaultFile: path.join(ROOT, 'config', 'default.json'),
    env: {
      BOT_LOG_TO_FILE: 'false',
      BOT_CONFIG_WATCH: 'false',
      BOT_MARKET_SYMBOLS: 'BTC/USDT',
      // 10,000 candles a second of the simulated clock: the feed's 10 ms tick plays 100 periods, one turn's worth.
      BOT_MARKET_SPEED: '10000',
      BOT_MARKET_SIMULATED_TICKS_PER_CANDLE: '1',
      BOT_MARKET_SIMULATED_SEED: '42',
      BOT_RUN_CANDLES: String(candles),
      BOT_ANALYSIS_STRATEGIES: 'every-candle',
      BOT_MONITOR_STATUS_INTERVAL_MS: '0',
      BOT_TRADE_STAKE: '10%',
      // Without fees and slippage the account does not bleed to nothing over a million round trips, so the
      // strategy keeps ordering to the end instead of being refused for want of cash.
      BOT_TRADE_FEES_MAKER: '0',
      BOT_TRADE_FEES_TAKER: '0',
      BOT_TRADE_SLIPPAGE_BPS: '0',
      BOT_TRADE_STOP_LOSS_PCT: '0',
    },
  });
  const clock = new SimulatedClock(Date.UTC(2024, 0, 1));
  const logger = createLogger({
    level: 'error',
    clock,
    redactor: new Redactor(),
    console: { stream: new Writable({ write: (_chunk, _enc, done) => done() }), color: false },
  });
  const app = buildApp({ loaded, reloadConfig: () => loaded, clock, timeoutClock: new SystemClock(), logger, strategiesDir: path.join(__dirname, 'strategies'), seed: 42 });

  // Preallocated so recording costs no allocation on the hot path.
  const samples = new Float64Array(candles);
  let orders = 0;
  let candleAt = 0;
  let pendingCandle = false;
  app.bus.tap((message) => {
    if (message.topic === 'market.candles') {
      candleAt = performance.now();
      pendingCandle = true;
    } else if (message.topic === 'order.submitted' && pendingCandle) {
      samples[orders++] = (performance.now() - candleAt) * 1000;
      pendingCandle = false;
    }
  });
  let ended = false;
  app.bus.subscribe('bench', 'market.ended', () => {
    ended = true;
  });

  await app.orchestrator.startAll();
  const api = options.api ? await startApi(app, loaded.config, clock, logger, candles) : undefined;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  while (!ended) {
    clock.advance(TURN_MS);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (api) await api.caughtUp();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const liveMessages = await api?.close();
  await app.orchestrator.stopAll('bench over');
  await logger.close();

  const sorted = samples.subarray(0, orders).sort();
  const at = (q: number): number => round(sorted[Math.min(orders - 1, Math.floor(q * orders))] ?? NaN);
  return {
    candles,
    orders,
    p50Us: at(0.5),
    p99Us: at(0.99),
    p999Us: at(0.999),
    maxUs: round(sorted[orders - 1] ?? NaN),
    heapGrowthMb: round((heapAfter - heapBefore) / 1024 / 1024),
    wallSeconds: round(wallSeconds),
    ...(liveMessages !== undefined ? { liveMessages } : {}),
  };
}

const TOKEN = 'latency-bench-token-0123456789';

/** The API server, the metrics, and one dashboard client on the WebSocket; close() answers how many events it got. */
async function startApi(
  app: App,
  config: BotConfig,
  clock: Clock,
  logger: RootLogger,
  candles: number,
): Promise<{ caughtUp: () => Promise<void>; close: () => Promise<number> }> {
  const operations = new BotOperations({
    bus: app.bus,
    orchestrator: app.orchestrator,
    ...(app.supervisor ? { supervisor: app.supervisor } : {}),
    clock,
    logger,
    config,
    strategies: app.strategies,
    requestStop: () => undefined,
  });
  const server = await startApiServer({ control: operations, bus: app.bus, settings: { ...config.api, port: 0 }, token: TOKEN, logger, clock });
  const socket = new WebSocket(server.url.replace('http', 'ws') + '/api/live');
  let received = 0;
  let emitted = 0;
  operations.onEvent(() => {
    emitted += 1;
  });
  let ready: () => void = () => undefined;
  const authenticated = new Promise<void>((resolve) => (ready = resolve));
  socket.on('message', (data) => {
    if ((JSON.parse(String(data)) as { type: string }).type === 'ready') ready();
    else received += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: TOKEN }));
  await authenticated;
  return {
    caughtUp: async () => {
      while (received < emitted) await new Promise<void>((resolve) => setImmediate(resolve));
    },
    close: async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.close();
      await server.close();
      operations.close();
      // Every period pushes its candle at least: fewer events means the client was dropped and the figure is not the one asked for.
      if (received < candles) throw new Error(`the dashboard client received ${received} live events for ${candles} candles: it was dropped, so the API variant measured less than it says`);
      return received;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
