/**
 * One trial: a real backtest (runBacktest, the paper engine) of the strategy with one parameter set over
 * one time range, reduced to its metrics. Workers run it; so can a test, in-process.
 */
import { outcomeMetrics } from '../backtest/outcome-metrics';
import type { LoadedConfig } from '../config/load-config';
import type { BacktestMetrics } from '../backtest/metrics';
import { runBacktest } from '../backtest/run-backtest';
import type { RootLogger } from '../logging/logger';
import type { CandleSeries } from '../market/candle-file';
import type { ReplayRange } from '../market/replay-market';
import type { Params } from '../strategy/types';
import { CandleColumns } from '../market/candle-columns';

/** What every worker starts from: structured-cloneable data only. */
export interface WorkerInit {
  /** The backtest configuration (loadBacktestConfig), checked by the main thread; trials set the strategy's params. */
  loaded: LoadedConfig;
  strategy: string;
  strategiesDir: string;
  /**
   * The candles, loaded once by the main thread. Their columns are views on SharedArrayBuffers, so every
   * worker reads the same memory: no copy per worker, and no worker parses the files again.
   */
  series: CandleSeries[];
}

export interface TrialTask {
  id: number;
  params: Params;
  range: ReplayRange;
}

export interface TrialResult {
  id: number;
  metrics: BacktestMetrics;
  finalEquity: number;
  /** Candle periods played. */
  candles: number;
  /** First and last period played. */
  from: number;
  to: number;
}

export interface TrialContext {
  init: WorkerInit;
  series: CandleSeries[];
  logger: RootLogger;
}

export function prepareTrials(init: WorkerInit, logger: RootLogger): TrialContext {
  // In a worker, each series' columns arrive as a structured clone: the fields without the class.
  const series = init.series.map((s) => ({ ...s, candles: CandleColumns.fromClone(s.candles) }));
  return { init, series, logger };
}

export async function runTrial(context: TrialContext, task: TrialTask): Promise<TrialResult> {
  const { init, series, logger } = context;
  const loaded = withParams(init.loaded, init.strategy, task.params);
  const outcome = await runBacktest({ loaded, series, range: task.range, strategiesDir: init.strategiesDir, logger });
  const metrics = outcomeMetrics(outcome, loaded);
  return {
    id: task.id,
    metrics,
    finalEquity: outcome.final.summary.finalEquity,
    candles: outcome.periods,
    from: outcome.market.firstTime ?? 0,
    to: outcome.market.lastTime ?? 0,
  };
}

/**
 * The configuration with the strategy's parameters replaced: the one key a trial changes. `run.out` is set
 * too, to a name nothing writes to: the portfolio keeps its closed trades (which the metrics count) only
 * when a run has an output.
 */
export function withParams(loaded: LoadedConfig, strategy: string, params: Params): LoadedConfig {
  const { config } = loaded;
  return {
    ...loaded,
    config: {
      ...config,
      run: { ...config.run, out: config.run.out === '' ? '(optimize trial)' : config.run.out },
      strategy: { ...config.strategy, params: { ...config.strategy.params, [strategy]: { ...params } } },
    },
  };
}
