/**
 * The candle files of a run as the command line names them (--data, --symbol, --timeframe), kept as plain
 * data so a worker thread (the optimizer's) can load the very same series. Shared by `backtest` and
 * `optimize`, so both check and word the same mistakes the same way.
 */
import { UserError } from '../core/errors';
import { loadCandleFile, type CandleSeries } from '../market/candle-file';

export interface SeriesFile {
  file: string;
  symbol?: string;
  timeframe?: string;
}

/** One entry per --data file, with the --symbol at the same position and the --timeframe. */
export function seriesFiles(data: readonly string[], symbols: readonly string[] = [], timeframe?: string): SeriesFile[] {
  if (symbols.length > 0 && symbols.length !== data.length) {
    throw new UserError(`--symbol was given ${symbols.length} time(s) and --data ${data.length} time(s); give one --symbol per --data file, in the same order, or none`);
  }
  return data.map((file, i) => {
    const symbol = symbols[i];
    return { file, ...(symbol ? { symbol } : {}), ...(timeframe ? { timeframe } : {}) };
  });
}

export function loadSeriesFiles(files: readonly SeriesFile[]): CandleSeries[] {
  return files.map(({ file, symbol, timeframe }) =>
    loadCandleFile(file, { ...(symbol !== undefined ? { symbol } : {}), ...(timeframe !== undefined ? { timeframe } : {}) }),
  );
}
