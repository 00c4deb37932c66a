/**
 * Optimizer throughput: backtests per second of an sma-cross grid (5 fast x 8 slow = 40 trials) over 2
 * symbols x 20,000 generated 1m candles (written to candle files, which each worker loads once), on a pool
 * of 1 worker and a pool of 2 in the same run. Rounds alternate between the pools so machine noise hits
 * both alike; each figure is the median of the rounds, after one unmeasured warm-up round per pool.
 * Worker start-up (ts-node, loading the files) is timed apart: it is paid once per optimization, not per trial.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBacktestConfig } from '../src/backtest/backtest-config';
import { loadSeriesFiles } from '../src/backtest/load-series';
import { buildParamSpace } from '../src/optimize/param-space';
import type { TrialResult, TrialTask, WorkerInit } from '../src/optimize/trial-runner';
import { gridTrials } from '../src/optimize/trials';
import { WorkerPool } from '../src/optimize/worker-pool';
import { loadStrategy } from '../src/strategy/load-strategy';
import { benchSymbols, ccxtJson, generatedSeries } from './backtest.bench';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const GRID = { fast: [5, 10, 15, 20, 25], slow: [30, 40, 50, 60, 80, 100, 150, 200] };

export interface OptimizePoolFigures {
  workers: number;
  startupSeconds: number;
  backtestsPerSecond: number;
  candlesPerSecond: number;
  roundSeconds: number[];
  /** CPU time of the process (every thread) over wall time in the measured runs: the cores it really got. */
  coresUsed: number;
}

export interface OptimizeBenchResult {
  symbols: number;
  candlesPerSymbol: number;
  trials: number;
  rounds: number;
  cores: number;
  pools: OptimizePoolFigures[];
  /** Backtests per second with 2 workers / with 1. */
  speedup: number;
  /** The two pools gave the same results, trial by trial. */
  identical: boolean;
}

export async function runOptimizeBench(perSymbol: number, rounds: number): Promise<OptimizeBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optimize-bench-'));
  try {
    const symbols = benchSymbols(2);
    const files = generatedSeries(symbols, perSymbol).map((series) => {
      const file = path.join(dir, `${series.symbol.replace('/', '_')}-1m.json`);
      fs.writeFileSync(file, ccxtJson(series.candles));
      return { file };
    });
    const strategiesDir = path.join(ROOT, 'strategies');
    const definition = loadStrategy('sma-cross', strategiesDir);
    const { trials } = gridTrials(buildParamSpace(definition, GRID), definition);
    const loaded = loadBacktestConfig(
      { strategy: 'sma-cross', params: {}, symbols, timeframe: '1m', out: '', logLevel: 'error' },
      { defaultFile: path.join(ROOT, 'config', 'default.json'), env: { BOT_LOG_TO_FILE: 'false' } },
    );
    // Loaded as the optimize command loads them: once, in the main thread, shared with the workers.
    const init: WorkerInit = { loaded, strategy: 'sma-cross', strategiesDir, series: loadSeriesFiles(files) };
    const tasks = trials.map((params, id): TrialTask => ({ id, params, range: {} }));

    const sizes = [1, 2];
    const pools: WorkerPool[] = [];
    const startup: number[] = [];
    try {
      for (const size of sizes) {
        const started = performance.now();
        const pool = new WorkerPool(size, init);
        pools.push(pool);
        await pool.ready();
        startup.push((performance.now() - started) / 1000);
      }
      // One unmeasured round per pool first: the workers' JIT warms up on it, as it would in a long optimization.
      for (const pool of pools) await pool.run(tasks);
      const seconds: number[][] = sizes.map(() => []);
      const cpuSeconds = sizes.map(() => 0);
      const results: Array<Array<TrialResult | undefined>> = [];
      for (let round = 0; round < rounds; round++) {
        for (const [i, pool] of pools.entries()) {
          const started = performance.now();
          const cpu = process.cpuUsage();
          const run = await pool.run(tasks);
          seconds[i]!.push((performance.now() - started) / 1000);
          const used = process.cpuUsage(cpu);
          cpuSeconds[i]! += (used.user + used.system) / 1e6;
          results[i] = run.results;
        }
      }
      const figures = sizes.map((workers, i): OptimizePoolFigures => {
        const perSecond = tasks.length / median(seconds[i]!);
        return {
          workers,
          startupSeconds: round3(startup[i]!),
          backtestsPerSecond: round3(perSecond),
          candlesPerSecond: Math.round(perSecond * perSymbol * symbols.length),
          roundSeconds: seconds[i]!.map(round3),
          coresUsed: round3(cpuSeconds[i]! / seconds[i]!.reduce((sum, x) => sum + x, 0)),
        };
      });
      return {
        symbols: symbols.length,
        candlesPerSymbol: perSymbol,
        trials: tasks.length,
        rounds,
        cores: os.availableParallelism(),
        pools: figures,
        speedup: round3(figures[1]!.backtestsPerSecond / figures[0]!.backtestsPerSecond),
        identical: JSON.stringify(results[0]) === JSON.stringify(results[1]),
      };
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
