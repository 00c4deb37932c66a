import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadBacktestConfig } from '../../../src/backtest/backtest-config';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { UserError } from '../../../src/core/errors';
import { createLogger } from '../../../src/logging/logger';
import { Redactor } from '../../../src/logging/redactor';
import { SimulatedMarket } from '../../../src/market/simulated-market';
import type { Candle } from '../../../src/market/types';
import { loadSeriesFiles } from '../../../src/backtest/load-series';
import { prepareTrials, runTrial, type TrialTask, type WorkerInit } from '../../../src/optimize/trial-runner';
import { WorkerPool } from '../../../src/optimize/worker-pool';
import { PROJECT_ROOT } from '../../helpers/run-main';

function writeCandles(dir: string): string {
  const market = new SimulatedMarket({ seed: 5, symbols: ['BTC/USDT'], timeframe: '1h', startTime: Date.UTC(2023, 0, 1), ticksPerCandle: 4 });
  const candles: Candle[] = [];
  while (candles.length < 500) for (const e of market.next()) if (e.kind === 'candle') candles.push(e.candle);
  const file = path.join(dir, 'BTC_USDT-1h.json');
  fs.writeFileSync(file, JSON.stringify(candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])));
  return file;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optimize-pool-'));
const file = writeCandles(dir);
const loaded = loadBacktestConfig(
  { strategy: 'sma-cross', params: {}, symbols: ['BTC/USDT'], timeframe: '1h', out: '' },
  { defaultFile: path.join(PROJECT_ROOT, 'config', 'default.json'), env: { BOT_LOG_TO_FILE: 'false' } },
);
const series = loadSeriesFiles([{ file }]);
const init: WorkerInit = { loaded, strategy: 'sma-cross', strategiesDir: path.join(PROJECT_ROOT, 'strategies'), series };
const tasks: TrialTask[] = [5, 8, 12, 20].map((fast, id) => ({ id, params: { fast, slow: 30, stopLossPct: 0, takeProfitPct: 0 }, range: {} }));

describe('the worker pool', () => {
  it('runs trials on worker threads with the results of the same backtests in-process, in task order', async () => {
    const pool = new WorkerPool(2, init);
    try {
      await pool.ready();
      const run = await pool.run(tasks);
      expect(run.stopped).toBe(false);
      const silent = createLogger({ level: 'error', clock: new SimulatedClock(0), redactor: new Redactor(), console: { stream: new Writable({ write: (_c, _e, done) => done() }), color: false } });
      const context = prepareTrials(init, silent);
      for (const [i, task] of tasks.entries()) {
        const local = await runTrial(context, task);
        expect(run.results[i]).toEqual(local);
      }
      await silent.close();
      expect(run.results.map((r) => r!.id)).toEqual([0, 1, 2, 3]);
      expect(run.results[0]!.metrics.trades).toBeGreaterThan(0);
      // A second run on the same workers.
      const again = await pool.run(tasks.slice(0, 2));
      expect(again.results).toEqual(run.results.slice(0, 2));
    } finally {
      await pool.close();
    }
  });

  it('hands the workers the loaded candles in shared memory, not copies', () => {
    expect(series[0]!.candles.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(series[0]!.candles.close.buffer).toBe(series[0]!.candles.time.buffer);
  });

  it('rejects with the worker\'s error when a worker cannot start, and closes cleanly', async () => {
    const candles = series[0]!.candles;
    const broken = { ...series[0]!, candles: { ...candles, time: candles.time.subarray(1) } as typeof candles };
    const pool = new WorkerPool(2, { ...init, series: [broken] });
    try {
      const failure = pool.run(tasks);
      await expect(failure).rejects.not.toThrow(UserError);
      await expect(failure).rejects.toThrow('an optimizer worker failed to start: candle columns must have one length, got 500 and 499');
      await expect(pool.run(tasks)).rejects.toThrow(/failed to start/);
    } finally {
      await pool.close();
      await pool.close();
    }
  });

  it('stops: the run resolves with what finished, and no more trials are sent', async () => {
    const pool = new WorkerPool(1, init);
    try {
      const run = await pool.run(tasks, (_result, done) => {
        if (done === 1) pool.stop();
      });
      expect(run.stopped).toBe(true);
      expect(run.results.filter((r) => r !== undefined)).toHaveLength(1);
      expect((await pool.run(tasks)).stopped).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
