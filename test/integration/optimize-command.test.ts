import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedMarket } from '../../src/market/simulated-market';
import type { Candle } from '../../src/market/types';
import { PROJECT_ROOT, runMain, startMain } from '../helpers/run-main';

function seededCandles(symbol: string, count: number, seed: number): Candle[] {
  const market = new SimulatedMarket({ seed, symbols: [symbol], timeframe: '1h', startTime: Date.UTC(2023, 0, 1), ticksPerCandle: 6 });
  const candles: Candle[] = [];
  while (candles.length < count) for (const e of market.next()) if (e.kind === 'candle') candles.push(e.candle);
  return candles;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optimize-cli-'));
const btc = path.join(dir, 'BTC_USDT-1h.json');
const eth = path.join(dir, 'ETH_USDT-1h.json');
fs.writeFileSync(btc, JSON.stringify(seededCandles('BTC/USDT', 800, 11).map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])));
fs.writeFileSync(eth, JSON.stringify(seededCandles('ETH/USDT', 800, 12).map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])));

// 4 x 3 = 12 combinations, 3 of which sma-cross refuses (slow must exceed fast): 9 trials.
const GRID = '{"fast":[5,10,20,30],"slow":{"min":20,"max":40,"step":10}}';
const base = ['optimize', '--strategy', 'sma-cross', '--data', btc, '--data', eth, '--workers', '2', '--params', GRID];

interface ResultsFile {
  trials: number;
  refused: number;
  results: Array<{ rank: number; trial: number; params: Record<string, unknown>; score: number; metrics: Record<string, number> }>;
  walkForward?: {
    folds: number;
    scheme: string;
    meanOutOfSampleScore: number | null;
    results: Array<{ fold: number; bestParams: Record<string, unknown>; inSampleScore: number; outOfSampleScore: number; inSample: { from: string; to: string }; outOfSample: { from: string; to: string } }>;
  };
}

function readResults(file: string): ResultsFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
}

describe('optimize command', () => {
  it('runs a grid on two workers, prints the top trials, writes every trial, and the same run gives the same file', async () => {
    const first = path.join(dir, 'first.json');
    const run = await runMain([...base, '--top', '5', '--out', first]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('grid over 12 combinations, 3 refused by the strategy (e.g. slow (20) must be greater than fast (20)): 9 parameter sets');
    expect(run.stdout).toContain('9 backtest(s) on 2 worker thread(s)');
    expect(run.stdout).toMatch(/top 5 of 9 by sharpe:\nrank\s+fast\s+slow\s+sharpe\s+return %\s+max DD %\s+trades\n\s+1\s+\d+\s+\d+\s+-?\d+\.\d\d/);
    expect(run.stdout).toContain(`wrote ${first} (9 backtests in`);

    const results = readResults(first);
    expect(results.trials).toBe(9);
    expect(results.refused).toBe(3);
    expect(results.results).toHaveLength(9);
    expect(results.results.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const scores = results.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const r of results.results) expect(Number(r.params['slow'])).toBeGreaterThan(Number(r.params['fast']));

    // Same input, again and on one worker: the same file, whichever worker finished first.
    const second = path.join(dir, 'second.json');
    expect((await runMain([...base, '--out', second])).code).toBe(0);
    const single = path.join(dir, 'single.json');
    expect((await runMain([...base.slice(0, -4), '--workers', '1', '--params', GRID, '--out', single])).code).toBe(0);
    expect(fs.readFileSync(second, 'utf8')).toBe(fs.readFileSync(first, 'utf8'));
    expect(fs.readFileSync(single, 'utf8')).toBe(fs.readFileSync(first, 'utf8'));

    // The trials are real backtests: the winner's figures are the backtest command's.
    const best = results.results[0]!;
    const out = path.join(dir, 'best-backtest');
    const backtest = await runMain(['backtest', '--strategy', 'sma-cross', '--data', btc, '--data', eth, '--params', JSON.stringify(best.params), '--out', out]);
    expect(backtest.code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, number>;
    expect(best.metrics['totalReturnPct']).toBe(summary['totalReturnPct']);
    expect(best.metrics['sharpe']).toBe(summary['sharpe']);
    expect(best.metrics['trades']).toBe(summary['trades']);
  });

  it('walks forward: per fold the in-sample winner, its in- and out-of-sample scores, and the mean out of sample', async () => {
    const file = path.join(dir, 'wf.json');
    const run = await runMain([...base, '--walk-forward', '3', '--metric', 'totalReturnPct', '--out', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('walk-forward: 3 fold(s) over 4 segments');
    expect(run.stdout).toContain('30 backtest(s) on 2 worker thread(s)');
    expect(run.stdout).toMatch(/fold\s+in-sample\s+out-of-sample\s+fast\s+slow\s+IS totalReturnPct\s+OOS totalReturnPct/);
    expect(run.stdout).toMatch(/\n\s+1 {2}2023-01-01 00:00\.\.2023-01-09 07:00 {2}2023-01-09 08:00\.\.2023-01-17 15:00\s+\d+\s+\d+\s+-?\d+\.\d\d\s+-?\d+\.\d\d/);
    expect(run.stdout).toMatch(/mean totalReturnPct: in-sample -?\d+\.\d\d, out-of-sample -?\d+\.\d\d/);

    const wf = readResults(file).walkForward!;
    expect(wf).toMatchObject({ folds: 3, scheme: 'rolling' });
    expect(wf.results.map((f) => f.fold)).toEqual([1, 2, 3]);
    for (const [i, fold] of wf.results.entries()) {
      expect(typeof fold.inSampleScore).toBe('number');
      expect(typeof fold.outOfSampleScore).toBe('number');
      // Rolling: each fold tests on the segment right after the one it learned on.
      if (i > 0) expect(fold.inSample).toEqual(wf.results[i - 1]!.outOfSample);
    }
    const mean = wf.results.reduce((s, f) => s + f.outOfSampleScore, 0) / 3;
    expect(wf.meanOutOfSampleScore).toBeCloseTo(mean, 10);
  });

  it('refuses a range outside the strategy\'s bounds, a bad list and bad JSON with one sentence, exit 2', async () => {
    const bounds = await runMain([...base.slice(0, -2), '--params', '{"fast":{"min":0,"max":10}}']);
    expect(bounds.code).toBe(2);
    expect(bounds.stdout).toBe('');
    expect(bounds.stderr).toBe('error: --params: strategy "sma-cross" parameter "fast" must be between 1 and 1000, got 0\n');

    const twice = await runMain([...base.slice(0, -2), '--params', '{"fast":[5,20,5]}']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^error: --params "fast" lists 5 twice; [^\n]+\n$/);

    const json = await runMain([...base.slice(0, -2), '--params', '{fast:1}']);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^error: --params is not valid JSON [^\n]+\n$/);

    const grid = await runMain([...base.slice(0, -2), '--params', '{"fast":{"min":1,"max":200},"slow":{"min":2,"max":401}}']);
    expect(grid.code).toBe(2);
    expect(grid.stderr).toContain('the grid has 80,000 combinations, over the cap of 10,000; narrow it with --params or use --method random --trials <n>');
  });

  it('stops on Ctrl-C: workers ended, what finished reported and written, exit 0; a second Ctrl-C forces exit 1', async () => {
    const file = path.join(dir, 'stopped.json');
    const run = startMain([...base, '--out', file]);
    // The command has set up its workers and signal handlers once the current macrotask has run.
    await new Promise((resolve) => setImmediate(resolve));
    run.signals.emit('SIGINT', 'SIGINT');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stopped by Ctrl-C after \d+ of 9 backtests; the results cover those\n/);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { stoppedEarly: boolean; plannedBacktests: number };
    expect(written).toMatchObject({ stoppedEarly: true, plannedBacktests: 9 });
    expect(run.exits).toEqual([]);

    const forced = startMain([...base, '--out', path.join(dir, 'forced.json')]);
    await new Promise((resolve) => setImmediate(resolve));
    forced.signals.emit('SIGINT', 'SIGINT');
    forced.signals.emit('SIGINT', 'SIGINT');
    expect((await forced.done).code).toBe(0);
    expect(forced.exits).toEqual([1]);
  });

  it('runs the same from the real entry point in a child process (ts-node, workers transpiling with SWC)', async () => {
    const inProcess = path.join(dir, 'in-process.json');
    expect((await runMain([...base, '--out', inProcess])).code).toBe(0);
    const spawned = path.join(dir, 'spawned.json');
    const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), 'src/main.ts', ...base, '--out', spawned], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), BOT_LOG_TO_FILE: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('top 9 of 9 by sharpe:');
    expect(fs.readFileSync(spawned, 'utf8')).toBe(fs.readFileSync(inProcess, 'utf8'));
  });

  it('refuses an unknown strategy and a bad data file with exit 2, before any worker starts', async () => {
    const unknown = await runMain(['optimize', '--strategy', 'nope', '--data', btc]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: strategy "nope" not found/);
    const missing = await runMain(['optimize', '--strategy', 'sma-cross', '--data', path.join(dir, 'missing_USDT-1h.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: candle file ".*missing_USDT-1h\.json" does not exist\n$/);
  });
});
