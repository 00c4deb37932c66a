/**
 * Loading candle files: 1,000,000 generated candles written once as ccxt OHLCV JSON and as CSV (ms
 * timestamps and ISO-8601 times), then read back with the loader `backtest --data` uses, median of 3.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCandleFile } from '../src/market/candle-file';
import { benchSymbols, ccxtJson, generatedSeries } from './backtest.bench';
import { median } from './stats';

export interface LoadResult {
  format: string;
  candles: number;
  megabytes: number;
  seconds: number;
}

export function runCandleLoadBench(count: number, rounds = 3): LoadResult[] {
  const columns = generatedSeries(benchSymbols(1), count)[0]!.candles;
  const candles = columns.toArray();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candle-load-'));
  try {
    const files: Array<[string, string, string]> = [
      ['json', 'BTC_USDT-1m.json', ccxtJson(columns)],
      ['csv (ms)', 'BTC_USDT-1m.csv', ['timestamp,open,high,low,close,volume', ...candles.map((c) => `${c.time},${c.open},${c.high},${c.low},${c.close},${c.volume}`)].join('\n')],
      ['csv (ISO)', 'ETH_USDT-1m.csv', ['date,open,high,low,close,volume', ...candles.map((c) => `${new Date(c.time).toISOString()},${c.open},${c.high},${c.low},${c.close},${c.volume}`)].join('\n')],
    ];
    return files.map(([format, name, text]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      const seconds: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const started = performance.now();
        const series = loadCandleFile(file);
        seconds.push((performance.now() - started) / 1000);
        if (series.candles.length !== count) throw new Error(`${format}: loaded ${series.candles.length} candles, wrote ${count}`);
      }
      return { format, candles: count, megabytes: Math.round(fs.statSync(file).size / 1024 / 102.4) / 10, seconds: Math.round(median(seconds) * 1000) / 1000 };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
