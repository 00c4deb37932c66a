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
import { buildApp } from '../src/app/build-app';
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

export async function runLatencyBench(candles: number): Promise<LatencyResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the latency bench with node --expose-gc (npm run bench does)');
  const loaded = loadConfig({
    defaultFile: path.join(ROOT, 'config', 'default.json'),
    env: {
      BOT_LOG_TO_FILE: 'false',
      BOT_CONFIG_WATCH: 'false',
      BOT_MARKET_SYMBOLS: 'BTC/USDT',
      BOT_MARKET_SPEED: '1000000',
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
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  while (!ended) clock.advance(1_000);
  const wallSeconds = (performance.now() - started) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
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
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
