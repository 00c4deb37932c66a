import path from 'node:path';
import { loadBacktestConfig, type BacktestSettings } from '../../src/backtest/backtest-config';
import { runBacktest, type BacktestOutcome } from '../../src/backtest/run-backtest';
import { CandleColumns } from '../../src/market/candle-columns';
import type { CandleSeries } from '../../src/market/candle-file';
import type { Candle } from '../../src/market/types';
import { MemoryLogger } from './memory-logger';
import { DEFAULT_CONFIG_FILE, TEST_STRATEGIES_DIR } from './test-app';

export const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Hourly candles from [open, high, low, close] rows, starting at T0 (or `start`). */
export function hourly(symbol: string, rows: ReadonlyArray<readonly [number, number, number, number]>, start = T0): CandleSeries {
  const candles: Candle[] = rows.map(([open, high, low, close], i) => ({ symbol, timeframe: '1h', time: start + i * HOUR, open, high, low, close, volume: 1 }));
  return seriesOf(`${symbol}.test`, candles);
}

/** A series of one symbol's candles, without gaps, held in columns as a loaded file's are. */
export function seriesOf(file: string, candles: readonly Candle[]): CandleSeries {
  const { symbol, timeframe } = candles[0]!;
  return { file, symbol, timeframe, candles: CandleColumns.fromCandles(symbol, timeframe, candles), gaps: [] };
}

/** Flat candles: open = high = low = close. */
export function flat(symbol: string, prices: readonly number[], start = T0): CandleSeries {
  return hourly(symbol, prices.map((p) => [p, p, p, p] as const), start);
}

export async function backtest(
  series: CandleSeries[],
  settings: Partial<BacktestSettings> & Pick<BacktestSettings, 'strategy'>,
  strategiesDir = APP_STRATEGIES,
  env: Readonly<Record<string, string>> = {},
): Promise<BacktestOutcome & { logger: MemoryLogger }> {
  const loaded = loadBacktestConfig(
    { params: {}, symbols: series.map((s) => s.symbol), files: series.map((s) => s.file), timeframe: series[0]!.timeframe, out: 'unused', ...settings },
    { defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false', ...env } },
  );
  const logger = new MemoryLogger();
  const outcome = await runBacktest({ loaded, series, range: {}, strategiesDir, logger });
  return { ...outcome, logger };
}
