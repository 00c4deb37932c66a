import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../core/write-file-atomically';
import { loadCandleFile } from '../market/candle-file';
import { splitSymbol } from '../market/symbols';
import type { OhlcvRow } from './download-candles';

/** `BTC_USDT-1h.json`: the name `backtest --data` reads the symbol and timeframe from. */
export function candleFileName(symbol: string, timeframe: string): string {
  const { base, quote } = splitSymbol(symbol);
  return `${base}_${quote}-${timeframe}.json`;
}

/** The rows of an existing candle file, ascending; undefined when there is no file yet. */
export function readCandleRows(file: string, symbol: string, timeframe: string): OhlcvRow[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  // A file that is not what it should be (corrupt, another timeframe) is a UserError naming it, line included.
  const { time, open, high, low, close, volume } = loadCandleFile(file, { symbol, timeframe }).candles;
  return Array.from(time, (t, i): OhlcvRow => [t, open[i]!, high[i]!, low[i]!, close[i]!, volume[i]!]);
}

/**
 * Writes rows as ccxt OHLCV JSON, one row per line. Atomically: into a temporary file in the same directory,
 * then renamed over the target, so an interrupted run leaves the old file or the new one, never half of one.
 */
export function writeCandleRows(file: string, rows: readonly OhlcvRow[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomically(file, rows.length === 0 ? '[]\n' : `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
}
