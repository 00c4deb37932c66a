/**
 * What an optimization reports: the results file (JSON, every trial) and the terminal tables (the top
 * trials; with walk-forward, one row per fold with its in-sample and out-of-sample scores side by side).
 */
import type { BacktestMetrics } from '../backtest/metrics';
import type { CandleSeries } from '../market/candle-file';
import type { Params, ParamValue } from '../strategy/types';
import type { FoldOutcome, OptimizeOutcome, RankedTrial } from './optimize';
import { describeSpace, type ParamSpace } from './param-space';
import type { OptimizeMetric } from './ranking';
import type { TrialSet } from './trials';
import type { Span, WalkForwardPlan } from './walk-forward';

export interface OptimizationRun {
  strategy: string;
  series: readonly CandleSeries[];
  /** First and last candle of the whole range searched. */
  span: Span;
  /** Candle periods in that range. */
  candles: number;
  settings: { startBalance: number; fee: number; slippageBps: number; stake: string; stopLossPct: number; takeProfitPct: number };
  method: 'grid' | 'random';
  metric: OptimizeMetric;
  /** The random search's seed; null for a grid. */
  seed: number | null;
  space: ParamSpace;
  trialSet: TrialSet;
  walkForward?: WalkForwardPlan;
  outcome: OptimizeOutcome;
}

interface TrialJson {
  rank: number;
  trial: number;
  params: Params;
  score: number | null;
  finalEquity: number;
  metrics: BacktestMetrics;
}

/** The results file. No wall-clock figure in it: the same inputs and seed write the same file. */
export function optimizationJson(run: OptimizationRun): Record<string, unknown> {
  const { outcome, trialSet } = run;
  return {
    strategy: run.strategy,
    symbols: run.series.map((s) => s.symbol),
    timeframe: run.series[0]?.timeframe ?? '',
    from: iso(run.span.from),
    to: iso(run.span.to),
    candles: run.candles,
    settings: run.settings,
    method: run.method,
    metric: run.metric,
    seed: run.seed,
    space: describeSpace(run.space),
    combinations: trialSet.combinations,
    trials: trialSet.trials.length,
    refused: trialSet.refused,
    refusal: trialSet.refusal ?? null,
    backtests: outcome.backtests,
    plannedBacktests: outcome.plannedBacktests,
    stoppedEarly: outcome.stopped,
    ...(run.walkForward
      ? {
          walkForward: {
            folds: run.walkForward.folds.length,
            scheme: run.walkForward.scheme,
            segments: run.walkForward.segments.map(spanJson),
            meanInSampleScore: outcome.meanInSampleScore ?? null,
            meanOutOfSampleScore: outcome.meanOutOfSampleScore ?? null,
            results: (outcome.folds ?? []).map((f) => ({
              fold: f.fold,
              inSample: spanJson(f.inSample),
              outOfSample: spanJson(f.outOfSample),
              bestParams: f.best.params,
              inSampleScore: f.best.score,
              outOfSampleScore: f.outOfSampleScore,
              inSampleMetrics: f.best.metrics,
              outOfSampleMetrics: f.outOfSampleMetrics,
              outOfSampleCandles: f.outOfSampleCandles,
              inSampleRanking: f.ranking.map(trialJson),
            })),
          },
        }
      : { results: outcome.ranking.map(trialJson) }),
  };
}

/** The first `top` trials as a table: rank, the varying parameters, the metric, return, drawdown, trades. */
export function formatTopTable(ranking: readonly RankedTrial[], space: ParamSpace, metric: OptimizeMetric, top: number): string {
  const names = space.dimensions.map((d) => d.name);
  const header = ['rank', ...names, metric, 'return %', 'max DD %', 'trades'];
  const rows = ranking.slice(0, top).map((t) => [
    String(t.rank),
    ...names.map((n) => paramText(t.params[n])),
    decimal(t.score),
    decimal(t.metrics.totalReturnPct),
    decimal(t.metrics.maxDrawdownPct),
    String(t.metrics.trades),
  ]);
  return table(header, rows);
}

/** One row per fold: spans, the in-sample winner, its score in and out of sample, and how it did out of sample. */
export function formatWalkForwardTable(folds: readonly FoldOutcome[], space: ParamSpace, metric: OptimizeMetric): string {
  const names = space.dimensions.map((d) => d.name);
  const header = ['fold', 'in-sample', 'out-of-sample', ...names, `IS ${metric}`, `OOS ${metric}`, 'OOS return %', 'OOS max DD %', 'OOS trades'];
  const rows = folds.map((f) => [
    String(f.fold),
    spanText(f.inSample),
    spanText(f.outOfSample),
    ...names.map((n) => paramText(f.best.params[n])),
    decimal(f.best.score),
    decimal(f.outOfSampleScore),
    decimal(f.outOfSampleMetrics.totalReturnPct),
    decimal(f.outOfSampleMetrics.maxDrawdownPct),
    String(f.outOfSampleMetrics.trades),
  ]);
  return table(header, rows, new Set([1, 2]));
}

/** `fast=5 slow=20`: parameters in spec order. */
export function paramsText(params: Params, names: readonly string[] = Object.keys(params)): string {
  return names.map((n) => `${n}=${paramText(params[n])}`).join(' ');
}

export function spanText(span: Span): string {
  return `${shortTime(span.from)}..${shortTime(span.to)}`;
}

export function decimal(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return value.toFixed(2);
}

function trialJson(t: RankedTrial): TrialJson {
  return { rank: t.rank, trial: t.trial, params: t.params, score: t.score, finalEquity: t.finalEquity, metrics: t.metrics };
}

function spanJson(span: Span): { from: string; to: string } {
  return { from: iso(span.from), to: iso(span.to) };
}

function paramText(value: ParamValue | undefined): string {
  return value === undefined ? '' : String(value);
}

/** Columns two spaces apart, a header line first; right-aligned but for the `left` columns. */
function table(header: readonly string[], rows: readonly string[][], left: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2024-01-31 12:00` (UTC). */
function shortTime(ms: number): string {
  return iso(ms).slice(0, 16).replace('T', ' ');
}
