import { compactTimestamp, pick } from './option-values';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { loadBacktestConfig } from '../backtest/backtest-config';
import { SystemClock, type Timer } from '../core/clock';
import { UserError } from '../core/errors';
import { isoTime } from '../market/candle-time';
import type { CandleSeries } from '../market/candle-file';
import { ReplayMarket, type ReplayRange } from '../market/replay-market';
import { timeframeMs } from '../market/timeframe';
import { loadSeriesFiles, seriesFiles } from '../backtest/load-series';
import { optimize, plannedBacktests, type OptimizeOutcome } from '../optimize/optimize';
import { buildParamSpace, parseParamRanges, type ParamSpace } from '../optimize/param-space';
import { decimal, formatTopTable, formatWalkForwardTable, optimizationJson, paramsText, spanText, type OptimizationRun } from '../optimize/report';
import { gridTrials, randomTrials, type TrialSet } from '../optimize/trials';
import { walkForwardPlan, type WalkForwardPlan } from '../optimize/walk-forward';
import { WorkerPool } from '../optimize/worker-pool';
import { loadStrategy } from '../strategy/load-strategy';
import type { MainIO, StopSignal } from './main-io';
import type { OptimizeOptions } from './optimize-options';
import { checkOutputPaths } from './output-paths';
import { parseTimeFlag } from './time-flag';

const DEFAULT_TRIALS = 100;
const MAX_TRIALS = 1_000_000;
const MAX_WORKERS = 64;
const MAX_FOLDS = 100;

/**
 * `optimize`: backtests a strategy over a parameter space on a pool of worker threads and ranks the
 * trials by a metric; with --walk-forward, per fold in and out of sample. Everything the user can get
 * wrong is checked before a worker starts (one sentence, exit 2).
 */
export async function runOptimizeCommand(options: OptimizeOptions, io: MainIO): Promise<number> {
  const clock = new SystemClock();
  const started = clock.now();
  const numbers = parseNumbers(options);
  const out = options.out ?? path.join('optimizations', `${options.strategy}-${compactTimestamp(started)}.json`);
  // Before the data loads and hours of backtests run.
  checkOutputPaths([{ label: '--out', path: out, kind: 'file' }]);
  const files = seriesFiles(options.data, options.symbol, options.timeframe);
  const series = loadSeriesFiles(files);
  const range: ReplayRange = {
    ...(options.from !== undefined ? { from: parseTimeFlag('--from', options.from) } : {}),
    ...(options.to !== undefined ? { to: parseTimeFlag('--to', options.to, { wholeDay: true }) } : {}),
  };
  // The replay's own checks: one timeframe, one file per symbol, candles in the range.
  const whole = new ReplayMarket(series, range);
  const timeframe = series[0]!.timeframe;

  const strategiesDir = path.join(io.projectRoot, 'strategies');
  const definition = loadStrategy(options.strategy, strategiesDir);
  const space = buildParamSpace(definition, parseParamRanges(options.params));
  const seed = options.method === 'random' ? (numbers.seed ?? 1 + Math.floor(Math.random() * 0xfffffffe)) : null;
  const trialSet = seed === null ? gridTrials(space, definition) : randomTrials(space, definition, numbers.trials ?? DEFAULT_TRIALS, seed);

  const loaded = loadBacktestConfig(
    {
      strategy: options.strategy,
      params: {},
      symbols: series.map((s) => s.symbol),
      files: series.map((s) => s.file),
      timeframe,
      out: '',
      ...pick(options, ['balance', 'fee', 'slippageBps', 'stake', 'stopLoss', 'takeProfit']),
      // A backtest's warnings, times hundreds of trials, would bury the results: errors only unless asked.
      logLevel: options.logLevel ?? 'error',
    },
    {
      defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
      ...(options.config !== undefined ? { configFile: options.config } : {}),
      env: io.env,
    },
  );

  const walkForward = numbers.folds !== undefined ? planWalkForward(series, whole, timeframe, numbers.folds, options.walkForwardScheme) : undefined;
  const trialRange: ReplayRange = { from: whole.firstTime, to: whole.lastTime };
  const spec = { trials: trialSet.trials, metric: options.metric, range: trialRange, ...(walkForward ? { walkForward } : {}) };
  const planned = plannedBacktests(spec);
  const workers = Math.max(1, Math.min(numbers.workers ?? os.availableParallelism(), planned));

  io.stdout.write(`${headline(options.strategy, series, whole)}\n${searchLine(trialSet, seed, space)}\n`);
  if (walkForward) io.stdout.write(`${walkForwardLine(walkForward, trialSet.trials.length)}\n`);
  io.stdout.write(`${planned} backtest(s) on ${workers} worker thread(s)\n`);

  const pool = new WorkerPool(
    workers,
    { loaded, strategy: options.strategy, strategiesDir, series },
    { onLog: (text) => io.stderr.write(text), describeTask: (task) => `the backtest with ${paramsText(task.params)}` },
  );
  let stop: StopRequests | undefined;
  let bar: SingleBar | undefined;
  let outcome: OptimizeOutcome;
  try {
    stop = stopOnRequest(pool, io, clock, options.duration);
    bar = io.stderr.isTTY
      ? new SingleBar({ stream: io.stderr, format: `optimize [{bar}] {percentage}% {value}/{total} backtests | best ${options.metric} {best}`, hideCursor: true })
      : undefined;
    bar?.start(planned, 0, { best: '-' });
    outcome = await optimize(spec, pool, (done, _total, best) => bar?.update(done, { best: best === undefined ? '-' : decimal(best) }));
  } finally {
    // Whatever happened (an error, a stop), no worker outlives the command.
    bar?.stop();
    stop?.dispose();
    await pool.close();
  }

  const run: OptimizationRun = {
    strategy: options.strategy,
    series,
    span: { from: whole.firstTime, to: whole.lastTime },
    candles: whole.periods,
    settings: {
      startBalance: loaded.config.portfolio.startBalance,
      fee: loaded.config.trade.fees.taker,
      slippageBps: loaded.config.trade.slippageBps,
      stake: String(loaded.config.trade.stake),
      stopLossPct: loaded.config.trade.stopLossPct,
      takeProfitPct: loaded.config.trade.takeProfitPct,
    },
    method: options.method,
    metric: options.metric,
    seed,
    space,
    trialSet,
    ...(walkForward ? { walkForward } : {}),
    outcome,
  };
  io.stdout.write(`\n${resultsText(run, numbers.top ?? 10)}\n`);
  const reason = stop.reason();
  if (outcome.stopped) {
    io.stdout.write(`stopped by ${reason ?? 'request'} after ${outcome.backtests} of ${outcome.plannedBacktests} backtests; the results cover those\n`);
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(optimizationJson(run), null, 2)}\n`);
  const seconds = ((clock.now() - started) / 1000).toFixed(1);
  io.stdout.write(`wrote ${out} (${outcome.backtests} backtests in ${seconds} s)\n`);
  return 0;
}

interface OptimizeNumbers {
  trials?: number;
  seed?: number;
  folds?: number;
  workers?: number;
  top?: number;
}

function parseNumbers(options: OptimizeOptions): OptimizeNumbers {
  if (options.trials !== undefined && options.method !== 'random') {
    throw new UserError('--trials applies to --method random; a grid runs every combination (narrow it with --params)');
  }
  const numbers: OptimizeNumbers = {};
  if (options.trials !== undefined) numbers.trials = wholeNumber('--trials', options.trials, 1, MAX_TRIALS);
  if (options.seed !== undefined) numbers.seed = wholeNumber('--seed', options.seed, 0, 0xffffffff);
  if (options.walkForward !== undefined) numbers.folds = wholeNumber('--walk-forward', options.walkForward, 1, MAX_FOLDS);
  if (options.workers !== undefined) numbers.workers = wholeNumber('--workers', options.workers, 1, MAX_WORKERS);
  if (options.top !== undefined) numbers.top = wholeNumber('--top', options.top, 1, MAX_TRIALS);
  return numbers;
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The folds, each of whose segments must hold candles (a segment may fall in a gap of the data). */
function planWalkForward(series: readonly CandleSeries[], whole: ReplayMarket, timeframe: string, folds: number, scheme: OptimizeOptions['walkForwardScheme']): WalkForwardPlan {
  const plan = walkForwardPlan(whole.firstTime, whole.lastTime, timeframeMs(timeframe), folds, scheme);
  plan.segments.forEach((segment, i) => {
    const holds = series.some((s) => s.candles.within(segment.from, segment.to).length > 0);
    if (!holds) throw new UserError(`walk-forward segment ${i + 1} of ${plan.segments.length} (${spanText(segment)}) holds no candles; use fewer folds or data without that gap`);
  });
  return plan;
}

function headline(strategy: string, series: readonly CandleSeries[], whole: ReplayMarket): string {
  return `optimize ${strategy} on ${series.map((s) => s.symbol).join(', ')} (${series[0]!.timeframe}), ${isoTime(whole.firstTime)} to ${isoTime(whole.lastTime)}, ${whole.periods} candle periods`;
}

function searchLine(trialSet: TrialSet, seed: number | null, space: ParamSpace): string {
  const vary = space.dimensions.length > 0 ? space.dimensions.map((d) => d.name).join(', ') : 'nothing (every parameter fixed)';
  const fixed = Object.keys(space.fixed).length > 0 ? `; fixed: ${paramsText(space.fixed)}` : '';
  const refused = trialSet.refused > 0 ? `, ${trialSet.refused} refused by the strategy (e.g. ${trialSet.refusal ?? '?'})` : '';
  const combinations = trialSet.combinations !== null ? `${trialSet.combinations.toLocaleString('en-US')} combinations` : 'a continuous space';
  const what =
    seed === null
      ? `grid over ${combinations}${refused}: ${trialSet.trials.length} parameter sets`
      : `random search over ${combinations}, seed ${seed} (--seed ${seed} repeats it): ${trialSet.trials.length} parameter sets${refused}`;
  return `${what}; varying ${vary}${fixed}`;
}

function walkForwardLine(plan: WalkForwardPlan, trials: number): string {
  const scheme = plan.scheme === 'rolling' ? 'rolling: in-sample is the segment before' : 'anchored: in-sample is every segment before';
  return `walk-forward: ${plan.folds.length} fold(s) over ${plan.segments.length} segments (${scheme} the out-of-sample one); ${trials} in-sample backtests per fold, then the winner out of sample`;
}

function resultsText(run: OptimizationRun, top: number): string {
  const { outcome, metric, space } = run;
  if (!run.walkForward) {
    if (outcome.ranking.length === 0) return 'no backtest finished';
    const shown = Math.min(top, outcome.ranking.length);
    return `top ${shown} of ${outcome.ranking.length} by ${metric}:\n${formatTopTable(outcome.ranking, space, metric, top)}\n`;
  }
  const folds = outcome.folds ?? [];
  if (folds.length === 0) return 'no walk-forward fold finished';
  return (
    `walk-forward (${run.walkForward.scheme}), in-sample winner of each fold by ${metric}:\n` +
    `${formatWalkForwardTable(folds, space, metric)}\n` +
    `mean ${metric}: in-sample ${decimal(outcome.meanInSampleScore ?? null)}, out-of-sample ${decimal(outcome.meanOutOfSampleScore ?? null)}\n`
  );
}

interface StopRequests {
  /** What stopped the run, if anything did. */
  reason: () => string | undefined;
  dispose: () => void;
}

/** Ctrl-C or SIGTERM (the first; a second forces the exit) and --duration stop the pool: the run reports what finished. */
function stopOnRequest(pool: WorkerPool, io: MainIO, clock: SystemClock, durationSec: number | undefined): StopRequests {
  let reason: string | undefined;
  let signals = 0;
  const onSignal = (signal: StopSignal): void => {
    signals += 1;
    if (signals > 1) {
      io.stderr.write(`second ${signal}: exiting now\n`);
      io.exit(1);
      return;
    }
    reason ??= signal === 'SIGINT' ? 'Ctrl-C' : signal;
    pool.stop();
  };
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  let timer: Timer | undefined;
  if (durationSec !== undefined && durationSec > 0) {
    timer = clock.setTimeout(() => {
      reason ??= `--duration ${durationSec}`;
      pool.stop();
    }, durationSec * 1000);
  }
  return {
    reason: () => reason,
    dispose: () => {
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
      timer?.cancel();
    },
  };
}
