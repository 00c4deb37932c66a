/**
 * Memory of a long backtest, as the backtest issue asks: 10,000,000 candles (10 symbols x 1,000,000 generated
 * 1m candles) played through the real agents with the RSI + MACD strategy, either loaded first from ten
 * ccxt JSON files written for the purpose, by the loader `backtest --data` uses, or streamed from the
 * generator as they play (no candles held at all).
 * - Heap used after a forced GC is compared early in the run and at its end: the run must not grow with the
 *   candles it has played.
 * - Peak RSS is read from the kernel's high-water mark, reset once the candles are loaded, so the figure is
 *   the run's and not the loading's. "Apart from the loaded candles" subtracts what they take (heap used and
 *   array buffers after a forced GC, before and after loading: loaded candles are typed-array columns), not
 *   the RSS loading left behind: memory the loading's garbage keeps resident counts against the run.
 */
import { execFileSync } from 'node:child_process';
import fs, { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBacktest } from '../src/backtest/run-backtest';
import { loadSeriesFiles } from '../src/backtest/load-series';
import { benchConfig, benchSymbols, ccxtJson, generatedSeries, silentLogger, streamedMarket } from './backtest.bench';

const MB = 1024 * 1024;

export type MemoryMode = 'loaded' | 'streamed';

export interface MemoryResult {
  mode: MemoryMode;
  candles: number;
  /** Memory the loaded candles take: heap used plus array buffers after a forced GC, after loading minus before. */
  candlesMb: number;
  heapGrowthMb: number;
  /** Typed-array storage outside the heap: the equity curve, one 17-byte point per candle period, kept for the outputs. */
  arrayBufferGrowthMb: number;
  /** RSS once the run is under way (code, agents, indicators and the candles). */
  startRssMb: number;
  /** The process's peak RSS during the run (the high-water mark is reset after loading). */
  peakRssMb: number;
  /** peakRssMb minus candlesMb: the goal's figure. */
  peakRssApartFromCandlesMb: number;
  /** How the peak was read: the kernel's reset high-water mark, or (where it cannot be reset) the process's maximum RSS, loading included. */
  peakSource: 'VmHWM after reset' | 'maxRSS of the whole process';
  wallSeconds: number;
}

/**
 * One run, in this process. `filesDir` holds the candle files of a loaded run (candleFile names them), written
 * by another process: the megabytes of text that writing them takes would shape this process's heap, and a
 * user's backtest only reads them.
 */
export async function runBacktestMemoryBench(mode: MemoryMode, symbolCount: number, perSymbol: number, filesDir?: string): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the memory bench with node --expose-gc (npm run bench does)');
  if (mode === 'loaded' && filesDir === undefined) throw new Error('a loaded memory run needs the directory of its candle files');
  const symbols = benchSymbols(symbolCount);
  const loaded = benchConfig(symbols);
  const logger = silentLogger();
  const beforeLoading = await settledMemory(gc);
  const series = mode === 'loaded' ? loadSeriesFiles(symbols.map((symbol) => ({ file: candleFile(filesDir!, symbol) }))) : [];
  const candlesMb = round(((await settledMemory(gc)) - beforeLoading) / MB);
  const peakSource = resetPeakRss() ? 'VmHWM after reset' : 'maxRSS of the whole process';
  const warmUpPeriods = Math.min(10_000, Math.floor(perSymbol / 10));
  let before: NodeJS.MemoryUsage | undefined;
  let after: NodeJS.MemoryUsage | undefined;
  const started = performance.now();
  await runBacktest({
    loaded,
    series,
    ...(mode === 'streamed' ? { market: streamedMarket(symbols, perSymbol) } : {}),
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
  const peakRssMb = round(peakSource === 'VmHWM after reset' ? peakRssKb() / 1024 : process.resourceUsage().maxRSS / 1024);
  await logger.close();
  if (before === undefined || after === undefined) throw new Error('the memory bench run ended before its measurements');
  return {
    mode,
    candles: symbols.length * perSymbol,
    candlesMb,
    heapGrowthMb: round((after.heapUsed - before.heapUsed) / MB),
    arrayBufferGrowthMb: round((after.arrayBuffers - before.arrayBuffers) / MB),
    startRssMb: round(before.rss / MB),
    peakRssMb,
    peakRssApartFromCandlesMb: round(peakRssMb - candlesMb),
    peakSource,
    wallSeconds: round(wallSeconds),
  };
}

/**
 * Heap used plus array buffers, once the garbage is gone. A collection finds dead array buffers, but frees
 * them (and V8 hands freed pages back to the system) from a background thread a little later: read at once,
 * the last file's buffers could still count, and the loading's freed pages would count against the run.
 */
async function settledMemory(gc: () => void): Promise<number> {
  gc();
  await new Promise((settled) => setTimeout(settled, 500));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Resets the kernel's peak-RSS mark of this process (Linux: 5 to /proc/self/clear_refs); false where it cannot. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return peakRssKb() > 0;
  } catch {
    return false;
  }
}

function peakRssKb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function candleFile(dir: string, symbol: string): string {
  return path.join(dir, `${symbol.replace('/', '_')}-1m.json`);
}

/**
 * The generated candles as ccxt JSON files, one per symbol, in a new temporary directory. One symbol at a
 * time, to hold one in memory: the generator seeds each symbol on its own, so these are the very candles the
 * streamed run plays.
 */
function writeCandleFiles(symbolCount: number, perSymbol: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-memory-'));
  for (const symbol of benchSymbols(symbolCount)) {
    const [series] = generatedSeries([symbol], perSymbol);
    fs.writeFileSync(candleFile(dir, symbol), ccxtJson(series!.candles));
  }
  return dir;
}

/**
 * Peak RSS is a figure of the whole process, so the memory bench runs in a process of its own: candles other
 * benches loaded must not count against it. The files of a loaded run are written here, before it starts.
 */
export function runBacktestMemoryBenchInChild(mode: MemoryMode, symbolCount: number, perSymbol: number): MemoryResult {
  const filesDir = mode === 'loaded' ? writeCandleFiles(symbolCount, perSymbol) : undefined;
  try {
    const args = [__filename, mode, String(symbolCount), String(perSymbol), ...(filesDir !== undefined ? [filesDir] : [])];
    const output = execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register', ...args], {
      cwd: path.resolve(__dirname, '..'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(output.trim().split('\n').pop() ?? '') as MemoryResult;
  } finally {
    if (filesDir !== undefined) fs.rmSync(filesDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [mode, symbolCount, perSymbol, filesDir] = process.argv.slice(2);
  runBacktestMemoryBench(mode === 'streamed' ? 'streamed' : 'loaded', Number(symbolCount), Number(perSymbol), filesDir).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
