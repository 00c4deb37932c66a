/**
 * Backtest throughput: candles per second through the real agents (the same engine as paper trading), for
 * generated candle series of a given length, with the reference strategy sma-cross (no fees, so the account
 * never runs dry and it trades to the end).
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { loadBacktestConfig } from '../src/backtest/backtest-config';
import { runBacktest } from '../src/backtest/run-backtest';
import { SimulatedClock } from '../src/core/simulated-clock';
import { createLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';
import { SimulatedMarket } from '../src/market/simulated-market';
import type { Candle } from '../src/market/types';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');

function generatedCandles(count: number): Candle[] {
  const market = new SimulatedMarket({ seed: 3, symbols: ['BTC/USDT'], timeframe: '1m', startTime: Date.UTC(2020, 0, 1), ticksPerCandle: 4 });
  const candles: Candle[] = [];
  while (candles.length < count) {
    for (const event of market.next()) if (event.kind === 'candle') candles.push(event.candle);
  }
  return candles;
}

export async function runBacktestBench(count: number, rounds: number): Promise<{ candles: number; rounds: number; candlesPerSecond: number; trades: number }> {
  const candles = generatedCandles(count);
  const series = [{ file: 'generated', symbol: 'BTC/USDT', timeframe: '1m', candles, gaps: [] }];
  const loaded = loadBacktestConfig(
    { strategy: 'sma-cross', params: {}, symbols: ['BTC/USDT'], timeframe: '1m', out: '', fee: '0' },
    { defaultFile: path.join(ROOT, 'config', 'default.json'), env: { BOT_LOG_TO_FILE: 'false' } },
  );
  const logger = createLogger({
    level: 'error',
    clock: new SimulatedClock(0),
    redactor: new Redactor(),
    console: { stream: new Writable({ write: (_c, _e, done) => done() }), color: false },
  });
  const rates: number[] = [];
  let trades = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const outcome = await runBacktest({ loaded, series, range: {}, strategiesDir: path.join(ROOT, 'strategies'), logger });
    rates.push(outcome.periods / ((performance.now() - started) / 1000));
    trades = outcome.final.summary.trades;
  }
  await logger.close();
  return { candles: count, rounds, candlesPerSecond: Math.round(median(rates)), trades };
}
