import path from 'node:path';
import { runBacktest } from '../src/backtest/run-backtest';
import { benchConfig, benchSymbols, generatedSeries, silentLogger } from './backtest.bench';
(async () => {
  const symbols = benchSymbols(10);
  const series = generatedSeries(symbols, 100000);
  for (let r = 0; r < 3; r++) {
    await runBacktest({ loaded: benchConfig(symbols), series, range: {}, strategiesDir: path.join(__dirname, 'strategies'), logger: silentLogger() });
  }
})();
