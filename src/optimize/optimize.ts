/**
 * An optimization: the trials of a search run as backtests, ranked by a metric; with walk-forward, a
 * search per fold on its in-sample span and a backtest of each fold's winner on its out-of-sample span.
 * Which executor runs the backtests (the worker pool, or in-process) changes nothing in the outcome.
 */
import type { BacktestMetrics } from '../backtest/metrics';
import type { ReplayRange } from '../market/replay-market';
import type { Params } from '../strategy/types';
import { rankTrials, scoreOf, type OptimizeMetric } from './ranking';
import type { TrialResult, TrialTask } from './trial-runner';
import type { Span, WalkForwardPlan } from './walk-forward';
import type { TrialExecutor } from './worker-pool';

export interface OptimizeSpec {
  /** The parameter sets, in trial order (their index breaks ties). */
  trials: readonly Params[];
  metric: OptimizeMetric;
  /** The whole run's range (--from / --to); walk-forward spans lie inside it. */
  range: ReplayRange;
  walkForward?: WalkForwardPlan;
}

export interface RankedTrial {
  rank: number;
  /** Position of the parameter set in the search's trials. */
  trial: number;
  params: Params;
  /** The ranking metric's figure; null where it does not exist (see ranking.ts). */
  score: number | null;
  metrics: BacktestMetrics;
  finalEquity: number;
  candles: number;
}

export interface FoldOutcome {
  fold: number;
  inSample: Span;
  outOfSample: Span;
  /** The in-sample winner. */
  best: RankedTrial;
  outOfSampleScore: number | null;
  outOfSampleMetrics: BacktestMetrics;
  outOfSampleCandles: number;
  /** Every in-sample trial of the fold, best first. */
  ranking: RankedTrial[];
}

export interface OptimizeOutcome {
  /** Without walk-forward: every trial, best first (those finished, when stopped). */
  ranking: RankedTrial[];
  /** With walk-forward: the folds that finished, in order. */
  folds?: FoldOutcome[];
  meanInSampleScore?: number | null;
  meanOutOfSampleScore?: number | null;
  /** Backtests finished and planned. */
  backtests: number;
  plannedBacktests: number;
  stopped: boolean;
}

/** `bestScore`: the best score so far (without walk-forward; undefined before the first result or with it). */
export type ProgressListener = (done: number, total: number, bestScore: number | null | undefined) => void;

export function plannedBacktests(spec: OptimizeSpec): number {
  const folds = spec.walkForward?.folds.length;
  return folds === undefined ? spec.trials.length : folds * (spec.trials.length + 1);
}

export async function optimize(spec: OptimizeSpec, executor: TrialExecutor, onProgress?: ProgressListener): Promise<OptimizeOutcome> {
  const total = plannedBacktests(spec);
  let done = 0;
  let best: { index: number; metrics: BacktestMetrics } | undefined;
  const progress = (result: TrialResult, trialIndex: number): void => {
    done += 1;
    if (!spec.walkForward) {
      const candidate = { index: trialIndex, metrics: result.metrics };
      if (best === undefined || rankTrials([best, candidate], spec.metric)[0] === candidate) best = candidate;
    }
    onProgress?.(done, total, best ? scoreOf(spec.metric, best.metrics) : undefined);
  };

  if (!spec.walkForward) {
    const tasks = spec.trials.map((params, id): TrialTask => ({ id, params, range: spec.range }));
    const run = await executor.run(tasks, (result) => progress(result, result.id));
    return { ranking: rank(spec, run.results), backtests: done, plannedBacktests: total, stopped: run.stopped };
  }

  const plan = spec.walkForward;
  const count = spec.trials.length;
  // Every fold's in-sample trials in one batch, so the workers stay busy across folds.
  const inSampleTasks: TrialTask[] = plan.folds.flatMap((fold, f) =>
    spec.trials.map((params, i): TrialTask => ({ id: f * count + i, params, range: fold.inSample })),
  );
  const inSample = await executor.run(inSampleTasks, (result) => progress(result, result.id % count));
  const rankings = plan.folds.map((_, f) => rank(spec, inSample.results.slice(f * count, (f + 1) * count)));
  // A fold goes out of sample only with all its in-sample trials done: a winner of half the search is not one.
  const complete = plan.folds.filter((_, f) => rankings[f]!.length === count && rankings[f]!.length > 0);
  let stopped = inSample.stopped;
  const folds: FoldOutcome[] = [];
  if (complete.length > 0 && !stopped) {
    const outTasks = complete.map((fold, k): TrialTask => ({ id: k, params: rankings[fold.fold - 1]![0]!.params, range: fold.outOfSample }));
    const outOfSample = await executor.run(outTasks, (result) => progress(result, result.id));
    stopped = outOfSample.stopped;
    complete.forEach((fold, k) => {
      const result = outOfSample.results[k];
      if (result === undefined) return;
      const ranking = rankings[fold.fold - 1]!;
      folds.push({
        fold: fold.fold,
        inSample: fold.inSample,
        best: ranking[0]!,
        outOfSample: fold.outOfSample,
        outOfSampleScore: scoreOf(spec.metric, result.metrics),
        outOfSampleMetrics: result.metrics,
        outOfSampleCandles: result.candles,
        ranking,
      });
    });
  }
  return {
    ranking: [],
    folds,
    meanInSampleScore: mean(folds.map((f) => f.best.score)),
    meanOutOfSampleScore: mean(folds.map((f) => f.outOfSampleScore)),
    backtests: done,
    plannedBacktests: total,
    stopped,
  };
}

/** The finished results of one search (at their trial's position; missing when not finished), best first. */
function rank(spec: OptimizeSpec, results: ReadonlyArray<TrialResult | undefined>): RankedTrial[] {
  const finished = results.flatMap((result, index) => (result === undefined ? [] : [{ index, result, metrics: result.metrics }]));
  return rankTrials(finished, spec.metric).map(({ index, result }, i) => ({
    rank: i + 1,
    trial: index,
    params: spec.trials[index]!,
    score: scoreOf(spec.metric, result.metrics),
    metrics: result.metrics,
    finalEquity: result.finalEquity,
    candles: result.candles,
  }));
}

/** Mean of the figures that exist; null when none does. */
export function mean(values: ReadonlyArray<number | null>): number | null {
  const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return numbers.length > 0 ? numbers.reduce((s, v) => s + v, 0) / numbers.length : null;
}
