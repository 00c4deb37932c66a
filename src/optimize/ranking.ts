/**
 * How trials are ranked: by one metric of their backtest, best first. Ties (and figures that do not
 * exist) are settled the same way on every run, so the ranking never depends on which worker finished first.
 */
import type { BacktestMetrics } from '../backtest/metrics';

export const OPTIMIZE_METRICS = ['sharpe', 'totalReturnPct', 'profitFactor'] as const;
export type OptimizeMetric = (typeof OPTIMIZE_METRICS)[number];

export type ScoreMetrics = Pick<BacktestMetrics, OptimizeMetric | 'trades' | 'winRatePct'>;

/** The metric's figure as reported: null where the metric has none (profit factor without a losing trade). */
export function scoreOf(metric: OptimizeMetric, metrics: ScoreMetrics): number | null {
  const value = metrics[metric];
  return value === null || Number.isNaN(value) ? null : value;
}

/**
 * The figure trials are sorted by, larger being better. A profit factor of null is infinite when some
 * trade won and none lost (nothing beats it), and the worst when there was no winning trade at all (no
 * trades, or only break-even ones). NaN, which no metric should produce, sorts last.
 */
export function sortKey(metric: OptimizeMetric, metrics: ScoreMetrics): number {
  const value = metrics[metric];
  if (value === null) return metric === 'profitFactor' && metrics.winRatePct > 0 ? Infinity : -Infinity;
  return Number.isNaN(value) ? -Infinity : value;
}

/** Sorting order: the metric descending; then total return descending; then the trial's index ascending. */
export function compareTrials(metric: OptimizeMetric) {
  return <T extends { index: number; metrics: ScoreMetrics & Pick<BacktestMetrics, 'totalReturnPct'> }>(a: T, b: T): number => {
    const byMetric = compareDescending(sortKey(metric, a.metrics), sortKey(metric, b.metrics));
    if (byMetric !== 0) return byMetric;
    const byReturn = compareDescending(finiteOr(a.metrics.totalReturnPct), finiteOr(b.metrics.totalReturnPct));
    if (byReturn !== 0) return byReturn;
    return a.index - b.index;
  };
}

/** A new array, best first. */
export function rankTrials<T extends { index: number; metrics: ScoreMetrics & Pick<BacktestMetrics, 'totalReturnPct'> }>(
  trials: readonly T[],
  metric: OptimizeMetric,
): T[] {
  return [...trials].sort(compareTrials(metric));
}

export function isOptimizeMetric(name: string): name is OptimizeMetric {
  return (OPTIMIZE_METRICS as readonly string[]).includes(name);
}

function compareDescending(a: number, b: number): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}

function finiteOr(value: number): number {
  return Number.isNaN(value) ? -Infinity : value;
}
