/**
 * What the state file costs: a commit of one fill and of one order's round trip (its intent, then its fill),
 * with the documents a run writes, in paper durability (no fsync) and in live durability (fsync per commit);
 * and paper trading's throughput on the simulated market at full speed with and without the state file, in
 * the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/load-config';
import { SystemClock } from '../src/core/clock';
import { SimulatedClock } from '../src/core/simulated-clock';
import { createLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';
import { Books } from '../src/portfolio/books';
import { Journal } from '../src/state/journal';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');

export interface CommitCost {
  durability: 'paper' | 'live';
  fillMedianUs: number;
  fillP99Us: number;
  roundTripMedianUs: number;
  roundTripP99Us: number;
}

export interface StateBenchResult {
  commits: CommitCost[];
  paper: { candles: number; rounds: number; withoutCandlesPerSecond: number; withCandlesPerSecond: number; costPct: number; trades: number };
}

export async function runStateBench(candles: number, rounds: number): Promise<StateBenchResult> {
  const commits = (['paper', 'live'] as const).map((durability) => commitCost(durability, durability === 'live' ? 300 : 3000));
  const without: number[] = [];
  const withState: number[] = [];
  let trades = 0;
  for (let round = 0; round < rounds; round++) {
    without.push((await paperRun(candles, false)).candlesPerSecond);
    const run = await paperRun(candles, true);
    withState.push(run.candlesPerSecond);
    trades = run.trades;
  }
  const a = median(without);
  const b = median(withState);
  return {
    commits,
    paper: { candles, rounds, withoutCandlesPerSecond: Math.round(a), withCandlesPerSecond: Math.round(b), costPct: round2(((a - b) / a) * 100), trades },
  };
}

function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'state-bench-')), name);
}

/** Commits as the agents make them: the books' and the trade side's documents with each, an event or two. */
function commitCost(durability: 'paper' | 'live', samples: number): CommitCost {
  const journal = Journal.open(tempFile('commits.sqlite'), { durable: durability === 'live', keepEvents: 100_000 });
  const books = Books.open('USDT', 10_000, 0);
  books.fill({ clientOrderId: 'a', symbol: 'BTC/USDT', side: 'buy', qty: 0.0312, price: 54_000.5, fee: 1.68, liquidity: 'taker', reason: 'signal', time: 1 });
  books.fill({ clientOrderId: 'b', symbol: 'ETH/USDT', side: 'buy', qty: 0.51, price: 3_400.25, fee: 1.73, liquidity: 'taker', reason: 'signal', time: 2 });
  journal.slot('portfolio', () => books.toState(), { always: true });
  const order = { clientOrderId: 'paper-1', symbol: 'BTC/USDT', side: 'buy', type: 'market', reason: 'signal', origin: 'rsi-mean-reversion', createdAt: 1, notBefore: 2, quoteAmount: 1700.5, protect: { stopLossPct: 5, takeProfitPct: 0 } };
  journal.slot('trade', () => ({ orders: [order], protections: [], executor: { kind: 'paper', sequence: 1, orders: [order], prices: [] } }), { always: true });
  const fill = { fill: { clientOrderId: 'paper-1', symbol: 'BTC/USDT', side: 'buy', qty: 0.0312, price: 54_000.5, fee: 1.68, liquidity: 'taker', reason: 'signal', time: 3 } };
  const fillUs: number[] = [];
  const tripUs: number[] = [];
  for (let i = 0; i < samples; i++) {
    let t = performance.now();
    journal.append('order.filled', i, fill);
    journal.append('position.changed', i, { symbol: 'BTC/USDT', qty: 0.0312, avgEntry: 54_000.5, cash: 8_300 });
    journal.commit();
    fillUs.push((performance.now() - t) * 1000);
    t = performance.now();
    journal.append('order.submitted', i, { order });
    journal.commit();
    journal.append('order.filled', i, fill);
    journal.commit();
    tripUs.push((performance.now() - t) * 1000);
  }
  journal.close();
  return { durability, fillMedianUs: round2(median(fillUs)), fillP99Us: round2(quantile(fillUs, 0.99)), roundTripMedianUs: round2(median(tripUs)), roundTripP99Us: round2(quantile(tripUs, 0.99)) };
}

/**
 * The default paper bot (two symbols, a 5 % stop) on the simulated market, flat out, with RSI + MACD on 1m
 * candles as the README's figures were measured (the defaults then; today's default trades a quarter as often).
 */
const BENCH_STRATEGIES = { BOT_MARKET_TIMEFRAME: '1m', BOT_ANALYSIS_STRATEGIES: 'rsi-mean-reversion,macd-crossover' };

async function paperRun(candles: number, withState: boolean): Promise<{ candlesPerSecond: number; trades: number }> {
  const loaded = loadConfig({
    defaultFile: path.join(ROOT, 'config', 'default.json'),
    env: { BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_MARKET_SPEED: '1000000', BOT_MARKET_SIMULATED_SEED: '7', ...BENCH_STRATEGIES, BOT_RUN_CANDLES: String(candles), BOT_MONITOR_STATUS_INTERVAL_MS: '0' },
  });
  const clock = new SimulatedClock(Date.UTC(2024, 0, 1));
  const logger = createLogger({ level: 'error', clock, redactor: new Redactor(), console: { stream: new Writable({ write: (_c, _e, done) => done() }), color: false } });
  const journal = withState ? Journal.open(tempFile('paper.sqlite'), { keepEvents: 100_000 }) : undefined;
  const app = buildApp({
    loaded,
    reloadConfig: () => loaded,
    clock,
    timeoutClock: new SystemClock(),
    logger,
    strategiesDir: path.join(ROOT, 'strategies'),
    seed: 7,
    ...(journal ? { state: { journal, resumeAfter: 0 } } : {}),
  });
  let ended = false;
  let trades = 0;
  app.bus.subscribe('bench', 'market.ended', () => {
    ended = true;
  });
  app.bus.subscribe('bench', 'position.closed', () => {
    trades += 1;
  });
  await app.orchestrator.startAll();
  const started = performance.now();
  while (!ended) clock.advance(1_000);
  const seconds = (performance.now() - started) / 1000;
  await app.orchestrator.stopAll('bench over');
  journal?.close();
  await logger.close();
  return { candlesPerSecond: candles / seconds, trades };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
