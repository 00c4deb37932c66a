/**
 * Memory of a long backtest: 10,000,000 candles (10 symbols x 1,000,000) streamed from the generated market
 * through the real agents with the RSI + MACD strategy, so no loaded candles cloud the figures. Heap used
 * after a forced GC is compared early in the run and at its end; peak RSS is the process's maximum.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBacktest } from '../src/backtest/run-backtest';
import { benchConfig, benchSymbols, silentLogger, streamedMarket } from './backtest.bench';

const MB = 1024 * 1024;

export interface MemoryResult {
  candles: number;
  heapGrowthMb: number;
  /** Typed-array storage outside the heap: the equity curve, one 17-byte point per candle period, kept for the outputs. */
  arrayBufferGrowthMb: number;
  /** RSS once the run is under way (code, agents, indicators): what the run itself adds is peak minus this. */
  startRssMb: number;
  peakRssMb: number;
  wallSeconds: number;
}

export async function runBacktestMemoryBench(symbolCount: number, periods: number): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the memory bench with node --expose-gc (npm run bench does)');
  const symbols = benchSymbols(symbolCount);
  const loaded = benchConfig(symbols);
  const logger = silentLogger();
  const warmUpPeriods = Math.min(10_000, Math.floor(periods / 10));
  let before: NodeJS.MemoryUsage | undefined;
  let after: NodeJS.MemoryUsage | undefined;
  const started = performance.now();
  await runBacktest({
    loaded,
    series: [],
    market: streamedMarket(symbols, periods),
    range: {},
    strategiesDir: path.join(__dirname, 'strategies'),
    logger,
    // The baseline is taken once every agent, strategy and indicator exists, and the last figure before
    // the agents stop and hand over their results.
    onProgress: (done, total) => {
      if (before === undefined && done >= warmUpPeriods) {
        gc();
        before = process.memoryUsage();
      }
      if (done === total && before !== undefined) {
        gc();
        after = process.memoryUsage();
      }
    },
  });
  const wallSeconds = (performance.now() - started) / 1000;
  await logger.close();
  if (before === undefined || after === undefined) throw new Error('the memory bench run ended before its measurements');
  return {
    candles: symbolCount * periods,
    heapGrowthMb: round((after.heapUsed - before.heapUsed) / MB),
    arrayBufferGrowthMb: round((after.arrayBuffers - before.arrayBuffers) / MB),
    startRssMb: round(before.rss / MB),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    wallSeconds: round(wallSeconds),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Peak RSS is a figure of the whole process, so the memory bench runs in a process of its own: candles other
 * benches loaded must not count against it.
 */
export function runBacktestMemoryBenchInChild(symbolCount: number, periods: number): MemoryResult {
  const output = execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register', __filename, String(symbolCount), String(periods)], {
    cwd: path.resolve(__dirname, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '') as MemoryResult;
}

if (require.main === module) {
  runBacktestMemoryBench(Number(process.argv[2]), Number(process.argv[3])).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
