import type { BacktestMetrics } from '../../../src/backtest/metrics';
import { optimize, type OptimizeSpec } from '../../../src/optimize/optimize';
import type { TrialResult, TrialTask } from '../../../src/optimize/trial-runner';
import { walkForwardPlan } from '../../../src/optimize/walk-forward';
import type { TrialExecutor, TrialRun } from '../../../src/optimize/worker-pool';

const HOUR = 3_600_000;

function metrics(sharpe: number, totalReturnPct: number): BacktestMetrics {
  return {
    totalReturnPct, buyHoldReturnPct: 0, maxDrawdownPct: 1, sharpe, sortino: 0, trades: 3, winRatePct: 50, profitFactor: 1,
    avgTradePct: 0, bestTradePct: null, worstTradePct: null, exposurePct: 0, feesPaid: 0,
  };
}

/**
 * Runs "backtests" whose figures are a function of the params and the range, finishing them in the order
 * `order` says (reverse: last task first), like workers of different speeds. `stopAfter` stops the run.
 */
class FakeExecutor implements TrialExecutor {
  readonly runs: TrialTask[][] = [];
  constructor(
    private readonly figures: (task: TrialTask) => { sharpe: number; ret: number },
    private readonly order: 'forward' | 'reverse' = 'forward',
    private readonly stopAfter = Infinity,
  ) {}

  async run(tasks: readonly TrialTask[], onResult?: (result: TrialResult, done: number) => void): Promise<TrialRun> {
    this.runs.push([...tasks]);
    const results = new Array<TrialResult | undefined>(tasks.length).fill(undefined);
    const positions = tasks.map((_, i) => i);
    if (this.order === 'reverse') positions.reverse();
    let done = 0;
    for (const position of positions) {
      if (done >= this.stopAfter) return { results, stopped: true };
      const task = tasks[position]!;
      const { sharpe, ret } = this.figures(task);
      const result: TrialResult = { id: task.id, metrics: metrics(sharpe, ret), finalEquity: 10_000 + ret * 100, candles: 10, from: task.range.from ?? 0, to: task.range.to ?? 0 };
      results[position] = result;
      done += 1;
      onResult?.(result, done);
    }
    return { results, stopped: false };
  }
}

const trials = [{ fast: 5 }, { fast: 10 }, { fast: 15 }, { fast: 20 }];
// Best at fast 10 over the whole range; sharpe ties between 15 and 20 settle on the return.
const score = (task: TrialTask) => {
  const fast = task.params['fast'] as number;
  return { sharpe: fast === 10 ? 2 : fast >= 15 ? 1 : 0.5, ret: fast === 20 ? 4 : 3 };
};

describe('optimize', () => {
  it('ranks every trial by the metric, the same whichever order the results arrive in', async () => {
    const spec: OptimizeSpec = { trials, metric: 'sharpe', range: { from: 0, to: 100 * HOUR } };
    const progress: Array<[number, number, number | null | undefined]> = [];
    const forward = await optimize(spec, new FakeExecutor(score, 'forward'), (done, total, best) => progress.push([done, total, best]));
    const reverse = await optimize(spec, new FakeExecutor(score, 'reverse'));
    expect(forward).toEqual(reverse);
    expect(forward.ranking.map((t) => [t.rank, t.trial, t.params['fast'], t.score])).toEqual([
      [1, 1, 10, 2],
      [2, 3, 20, 1],
      [3, 2, 15, 1],
      [4, 0, 5, 0.5],
    ]);
    expect(forward).toMatchObject({ backtests: 4, plannedBacktests: 4, stopped: false });
    expect(progress).toEqual([[1, 4, 0.5], [2, 4, 2], [3, 4, 2], [4, 4, 2]]);
  });

  it('reports the trials that finished when the run is stopped', async () => {
    const outcome = await optimize({ trials, metric: 'sharpe', range: {} }, new FakeExecutor(score, 'forward', 2));
    expect(outcome.stopped).toBe(true);
    expect(outcome.ranking.map((t) => t.params['fast'])).toEqual([10, 5]);
    expect(outcome.backtests).toBe(2);
  });

  it('walks forward: optimizes each fold in sample, runs its winner out of sample, and averages the scores', async () => {
    const plan = walkForwardPlan(0, 299 * HOUR, HOUR, 2, 'rolling');
    // Each segment has its own winner (fast 5, 20, 10): out of sample, each fold's winner does worse.
    const figures = (task: TrialTask) => {
      const fast = task.params['fast'] as number;
      const segment = Math.floor((task.range.from ?? 0) / (100 * HOUR));
      const winner = [5, 20, 10][segment];
      return { sharpe: fast === winner ? 3 : segment === 2 ? -1 : 1 - segment, ret: 0 };
    };
    const executor = new FakeExecutor(figures, 'reverse');
    const outcome = await optimize({ trials, metric: 'sharpe', range: {}, walkForward: plan }, executor);
    expect(executor.runs.map((r) => r.length)).toEqual([8, 2]);
    expect(executor.runs[1]).toEqual([
      { id: 0, params: { fast: 5 }, range: plan.segments[1] },
      { id: 1, params: { fast: 20 }, range: plan.segments[2] },
    ]);
    expect(outcome.folds!.map((f) => [f.fold, f.best.params['fast'], f.best.score, f.outOfSampleScore, f.ranking.length])).toEqual([
      [1, 5, 3, 0, 4],
      [2, 20, 3, -1, 4],
    ]);
    expect(outcome.meanInSampleScore).toBe(3);
    expect(outcome.meanOutOfSampleScore).toBe(-0.5);
    expect(outcome).toMatchObject({ backtests: 10, plannedBacktests: 10, stopped: false, ranking: [] });
  });
});
