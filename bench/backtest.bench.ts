/**
 * Backtest throughput, as the backtest issue defines it: an RSI + MACD strategy (bench/strategies/rsi-macd.ts)
 * over 10 symbols x 100,000 generated candles held in memory, through the real agents (the paper engine),
 * against a minimal reference loop in the same run: the same strategy code and trading-signals indicators,
 * a trivial fill, no bus and no agents. Rounds alternate between the two so machine noise hits both alike.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { loadBacktestConfig } from '../src/backtest/backtest-config';
import { runBacktest, type BacktestMarket } from '../src/backtest/run-backtest';
import type { Bus } from '../src/bus/bus';
import type { LoadedConfig } from '../src/config/load-config';
import { SimulatedClock } from '../src/core/simulated-clock';
import { createLogger, type RootLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';
import type { CandleColumns } from '../src/market/candle-columns';
import { CandleRows } from '../src/market/candle-rows';
import type { CandleSeries } from '../src/market/candle-file';
import { SimulatedMarket } from '../src/market/simulated-market';
import type { Candle } from '../src/market/types';
import rsiMacd from './strategies/rsi-macd';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const STRATEGIES = path.join(__dirname, 'strategies');
const START = Date.UTC(2020, 0, 1);

export function benchSymbols(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `C${i}/USDT`);
}

/** Generated 1m candles, `perSymbol` for each symbol, all in memory, held as a loaded file's are. */
export function generatedSeries(symbols: readonly string[], perSymbol: number): CandleSeries[] {
  const market = new SimulatedMarket({ seed: 3, symbols: [...symbols], timeframe: '1m', startTime: START, ticksPerCandle: 1 });
  const bySymbol = new Map(symbols.map((s) => [s, new CandleRows(perSymbol)]));
  for (let period = 0; period < perSymbol; period++) {
    for (const event of market.next()) {
      if (event.kind !== 'candle') continue;
      const { symbol, time, open, high, low, close, volume } = event.candle;
      bySymbol.get(symbol)!.push(time, open, high, low, close, volume, period + 1);
    }
  }
  return symbols.map((symbol) => ({ file: 'generated', symbol, timeframe: '1m', candles: bySymbol.get(symbol)!.toColumns(symbol, '1m'), gaps: [] }));
}

/** The candles as a ccxt OHLCV JSON file's text, a row a line, written without an array per row. */
export function ccxtJson(candles: CandleColumns): string {
  const { time, open, high, low, close, volume } = candles;
  const lines = Array.from(time, (t, i) => `[${t},${open[i]},${high[i]},${low[i]},${close[i]},${volume[i]}]`);
  return `[\n${lines.join(',\n')}\n]\n`;
}

/**
 * The generated market as a stream, for runs longer than memory allows: one candle period of every symbol
 * at a time, ticks left out as in a replay of candle files.
 */
export function streamedMarket(symbols: readonly string[], periods: number): BacktestMarket {
  const market = new SimulatedMarket({ seed: 3, symbols: [...symbols], timeframe: '1m', startTime: START, ticksPerCandle: 1 });
  let played = 0;
  return {
    description: `generated market, ${symbols.length} symbols`,
    symbols,
    timeframe: '1m',
    periods,
    firstTime: START,
    lastTime: START + (periods - 1) * 60_000,
    next: () => (played++ < periods ? market.next().filter((e) => e.kind === 'candle') : undefined),
  };
}

/**
 * The risk engine's protections, every one on, loose enough that trading goes on to the end: the exits case
 * measures what they cost, not a run they halted.
 */
export const BENCH_PROTECTIONS: Readonly<Record<string, string>> = {
  BOT_RISK_MAX_DRAWDOWN_PCT: '60',
  BOT_RISK_DAILY_LOSS_PCT: '30',
  BOT_RISK_STOPLOSS_GUARD_COUNT: '40',
  BOT_RISK_STOPLOSS_GUARD_WINDOW_MIN: '60',
  BOT_RISK_STOPLOSS_GUARD_PAUSE_MIN: '5',
  BOT_RISK_COOLDOWN_AFTER_LOSS_MIN: '2',
  BOT_RISK_MAX_EXPOSURE_PCT: '100',
  BOT_RISK_MAX_ASSET_EXPOSURE_PCT: '50',
};

export function benchConfig(symbols: readonly string[], strategy = 'rsi-macd', env: Readonly<Record<string, string>> = {}): LoadedConfig {
  // No fees and a 10 % stake: the account never runs dry, so the strategy trades to the end.
  return loadBacktestConfig(
    { strategy, params: {}, symbols, timeframe: '1m', out: '', fee: '0', stake: '10%' },
    { defaultFile: path.join(ROOT, 'config', 'default.json'), env: { BOT_LOG_TO_FILE: 'false', ...env } },
  );
}

export function silentLogger(): RootLogger {
  return createLogger({
    level: 'error',
    clock: new SimulatedClock(0),
    redactor: new Redactor(),
    console: { stream: new Writable({ write: (_c, _e, done) => done() }), color: false },
  });
}

const noHistory = (): readonly Candle[] => [];

/** The strategy and a trivial fill (at the close, 10 % of cash), candle by candle in time order. */
export function referenceLoop(series: readonly CandleSeries[]): { candles: number; trades: number } {
  const instances = series.map(() => rsiMacd.create({ rsiPeriod: 14, overbought: 70 }));
  const held = new Float64Array(series.length);
  const counts = new Int32Array(series.length);
  let cash = 10_000;
  let trades = 0;
  let candles = 0;
  const length = series[0]!.candles.length;
  for (let i = 0; i < length; i++) {
    for (let s = 0; s < series.length; s++) {
      const candle = series[s]!.candles.at(i);
      counts[s]! += 1;
      const qty = held[s]!;
      const position = qty > 0 ? { qty, avgEntry: 0, entryTime: 0 } : undefined;
      const intent = instances[s]!.onCandle(candle, { symbol: candle.symbol, position, candleCount: counts[s]!, time: candle.time + 60_000, history: noHistory });
      candles += 1;
      if (intent.action === 'enter' && qty === 0) {
        held[s] = (cash * 0.1) / candle.close;
        cash -= held[s]! * candle.close;
        trades += 1;
      } else if (intent.action === 'exit' && qty > 0) {
        cash += qty * candle.close;
        held[s] = 0;
      }
    }
  }
  return { candles, trades };
}

export interface ThroughputResult {
  symbols: number;
  candlesPerSymbol: number;
  rounds: number;
  candlesPerSecond: number;
  referenceCandlesPerSecond: number;
  ratio: number;
  trades: number;
  /**
   * The same, with every exit rule on (bench/strategies/rsi-macd-exits.ts) and every risk protection
   * (BENCH_PROTECTIONS), measured in the same rounds; `exitReasons` counts its sells by reason.
   */
  exits: { candlesPerSecond: number; ratio: number; trades: number; exitReasons: Record<string, number> };
}

export async function runBacktestBench(symbolCount: number, perSymbol: number, rounds: number): Promise<ThroughputResult> {
  const symbols = benchSymbols(symbolCount);
  const series = generatedSeries(symbols, perSymbol);
  const candles = symbolCount * perSymbol;
  const loaded = benchConfig(symbols);
  const withExits = benchConfig(symbols, 'rsi-macd-exits', BENCH_PROTECTIONS);
  const logger = silentLogger();
  const agentRates: number[] = [];
  const exitRates: number[] = [];
  const referenceRates: number[] = [];
  let trades = 0;
  let exitTrades = 0;
  let exitReasons: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    const outcome = await runBacktest({ loaded, series, range: {}, strategiesDir: STRATEGIES, logger });
    agentRates.push(candles / ((performance.now() - started) / 1000));
    trades = outcome.final.summary.trades;
    started = performance.now();
    const reasons: Record<string, number> = {};
    // Fills are a few per thousand candles: counting them costs nothing measurable.
    const observe = (bus: Bus): void => {
      bus.subscribe('bench', 'order.filled', ({ payload }) => {
        if (payload.fill.side === 'sell') reasons[payload.fill.reason] = (reasons[payload.fill.reason] ?? 0) + 1;
      });
    };
    const exited = await runBacktest({ loaded: withExits, series, range: {}, strategiesDir: STRATEGIES, logger, observe });
    exitRates.push(candles / ((performance.now() - started) / 1000));
    exitTrades = exited.final.summary.trades;
    exitReasons = reasons;
    started = performance.now();
    const reference = referenceLoop(series);
    referenceRates.push(reference.candles / ((performance.now() - started) / 1000));
  }
  await logger.close();
  const candlesPerSecond = median(agentRates);
  const exitsPerSecond = median(exitRates);
  const referenceCandlesPerSecond = median(referenceRates);
  return {
    symbols: symbolCount,
    candlesPerSymbol: perSymbol,
    rounds,
    candlesPerSecond: Math.round(candlesPerSecond),
    referenceCandlesPerSecond: Math.round(referenceCandlesPerSecond),
    ratio: Math.round((candlesPerSecond / referenceCandlesPerSecond) * 1000) / 1000,
    trades,
    exits: {
      candlesPerSecond: Math.round(exitsPerSecond),
      ratio: Math.round((exitsPerSecond / referenceCandlesPerSecond) * 1000) / 1000,
      trades: exitTrades,
      exitReasons,
    },
  };
}

export interface RebalanceBenchResult {
  symbols: number;
  candlesPerSymbol: number;
  rounds: number;
  candlesPerSecond: number;
  rebalances: number;
}

/**
 * A pure rebalancing backtest (portfolio.rebalance, no strategy) over generated 1m candles: the weight check
 * runs at every period's close, the plan only when a weight drifts past 5 points or a day has passed.
 */
export async function runRebalanceBench(perSymbol: number, rounds: number): Promise<RebalanceBenchResult> {
  const symbols = benchSymbols(2);
  const series = generatedSeries(symbols, perSymbol);
  const candles = symbols.length * perSymbol;
  const loaded = loadBacktestConfig(
    { symbols, timeframe: '1m', out: '', params: {}, fee: '0.001', rebalance: { targets: { C0: 40, C1: 40, USDT: 20 }, thresholdPct: 5, every: '1d', minTradeQuote: 10 } },
    { defaultFile: path.join(ROOT, 'config', 'default.json'), env: { BOT_LOG_TO_FILE: 'false' } },
  );
  const logger = silentLogger();
  const rates: number[] = [];
  let rebalances = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const outcome = await runBacktest({ loaded, series, range: {}, strategiesDir: STRATEGIES, logger });
    rates.push(candles / ((performance.now() - started) / 1000));
    rebalances = outcome.rebalances.filter((r) => r.legs.length > 0).length;
  }
  await logger.close();
  return { symbols: symbols.length, candlesPerSymbol: perSymbol, rounds, candlesPerSecond: Math.round(median(rates)), rebalances };
}
