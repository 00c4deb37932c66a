import path from 'node:path';
import { runBacktest } from '../src/backtest/run-backtest';
import { benchConfig, benchSymbols, generatedSeries, silentLogger, referenceLoop } from './backtest.bench';
(async () => {
  const symbols = benchSymbols(10);
  const series = generatedSeries(symbols, Number(process.env.N ?? 100000));
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const out = await runBacktest({ loaded: benchConfig(symbols), series, range: {}, strategiesDir: path.join(__dirname, 'strategies'), logger: silentLogger() });
    const t1 = performance.now();
    const ref = referenceLoop(series);
    const t2 = performance.now();
    const n = series.length * series[0]!.candles.length;
    console.log('engine', Math.round(n / ((t1 - t0) / 1000)), 'ref', Math.round(ref.candles / ((t2 - t1) / 1000)), 'ratio', ((t2 - t1) / (t1 - t0)).toFixed(3), out.final.closedTrades.length);
  }
})();
