import { UserError } from '../core/errors';
import { formatDuration, isoTime } from './candle-time';
import { rowError, type CandleRow, type RowUnit } from './candle-rows';

/**
 * The rows ascending by time. Files come ascending (ccxt, freqtrade) or newest first (many CSV downloads);
 * both are turned around in O(n), and anything else is sorted.
 */
export function inTimeOrder(rows: CandleRow[]): CandleRow[] {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < rows.length && (ascending || descending); i++) {
    const step = rows[i]!.time - rows[i - 1]!.time;
    if (step < 0) ascending = false;
    if (step > 0) descending = false;
  }
  if (ascending) return rows;
  if (descending) return rows.reverse();
  return rows.sort((a, b) => a.time - b.time);
}

/** Throws when two rows (in time order) hold the same time, naming both. */
export function checkDistinctTimes(rows: readonly CandleRow[], file: string, unit: RowUnit): void {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    if (a.time === b.time) {
      const [first, second] = a.at < b.at ? [a.at, b.at] : [b.at, a.at];
      throw new UserError(`${file} ${unit}s ${first} and ${second} both hold a candle at ${isoTime(a.time)}`);
    }
  }
}

/**
 * Throws at the first step between distinct, ordered times that is not a whole number of periods. Times need
 * not fall on period boundaries (some exchanges offset their candles), but they must keep one rhythm.
 */
export function checkSteps(rows: readonly CandleRow[], periodMs: number, file: string, unit: RowUnit): void {
  for (let i = 1; i < rows.length; i++) {
    const previous = rows[i - 1]!;
    const row = rows[i]!;
    const step = row.time - previous.time;
    if (step % periodMs !== 0) {
      throw rowError(
        file,
        unit,
        row.at,
        `its candle at ${isoTime(row.time)} comes ${formatDuration(step)} after the one on ${unit} ${previous.at}, which is not a whole number of ${formatDuration(periodMs)} candles`,
      );
    }
  }
}
