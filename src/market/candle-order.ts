import { UserError } from '../core/errors';
import { formatDuration, isoTime } from './candle-time';
import { CandleRows, rowError, type RowUnit } from './candle-rows';

/**
 * The rows ascending by time. Files come ascending (ccxt, freqtrade) or newest first (many CSV downloads);
 * both are turned around in O(n), in place, and anything else is sorted (rows at the same time keep their
 * order in the file).
 */
export function inTimeOrder(rows: CandleRows): CandleRows {
  const { time, length } = rows;
  let ascending = true;
  let descending = true;
  for (let i = 1; i < length && (ascending || descending); i++) {
    const step = time[i]! - time[i - 1]!;
    if (step < 0) ascending = false;
    if (step > 0) descending = false;
  }
  if (ascending) return rows;
  if (descending) {
    for (const column of [rows.time, rows.open, rows.high, rows.low, rows.close, rows.volume]) column.subarray(0, length).reverse();
    rows.at.reverse();
    return rows;
  }
  const order = Array.from({ length }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
  const sorted = new CandleRows(length);
  for (const i of order) sorted.push(time[i]!, rows.open[i]!, rows.high[i]!, rows.low[i]!, rows.close[i]!, rows.volume[i]!, rows.at[i]!);
  return sorted;
}

/** Throws when two rows (in time order) hold the same time, naming both. */
export function checkDistinctTimes(rows: CandleRows, file: string, unit: RowUnit): void {
  const { time, at } = rows;
  for (let i = 1; i < rows.length; i++) {
    if (time[i - 1] === time[i]) {
      const a = at[i - 1]!;
      const b = at[i]!;
      const [first, second] = a < b ? [a, b] : [b, a];
      throw new UserError(`${file} ${unit}s ${first} and ${second} both hold a candle at ${isoTime(time[i]!)}`);
    }
  }
}

/**
 * Throws at the first step between distinct, ordered times that is not a whole number of periods. Times need
 * not fall on period boundaries (some exchanges offset their candles), but they must keep one rhythm.
 */
export function checkSteps(rows: CandleRows, periodMs: number, file: string, unit: RowUnit): void {
  const { time, at } = rows;
  for (let i = 1; i < rows.length; i++) {
    const step = time[i]! - time[i - 1]!;
    if (step % periodMs !== 0) {
      throw rowError(
        file,
        unit,
        at[i]!,
        `its candle at ${isoTime(time[i]!)} comes ${formatDuration(step)} after the one on ${unit} ${at[i - 1]!}, which is not a whole number of ${formatDuration(periodMs)} candles`,
      );
    }
  }
}
