import { UserError } from '../core/errors';
import type { Candle } from './types';

/** One candle as read from a file, before it is given its symbol and timeframe. */
export interface CandleRow extends Omit<Candle, 'symbol' | 'timeframe'> {
  /** Where it is in the file, 1-based: the line of a CSV file, the row (array element) of a JSON one. */
  at: number;
}

/** How a format locates its rows in messages: JSON files are often one long line, so rows count there. */
export type RowUnit = 'line' | 'row';

export interface ParsedCandleFile {
  rows: CandleRow[];
  unit: RowUnit;
}

/** "data/x.csv line 17: high 99 is below low 101". */
export function rowError(file: string, unit: RowUnit, at: number, problem: string): UserError {
  return new UserError(`${file} ${unit} ${at}: ${problem}`);
}

function badPrice(name: string, value: number): string | undefined {
  return value > 0 && value < Infinity ? undefined : `${name} ${value} is not a positive price`;
}

/** What is wrong with one candle's prices and volume, or undefined when nothing is. */
export function candleProblem(open: number, high: number, low: number, close: number, volume: number): string | undefined {
  const notPositive = badPrice('open', open) ?? badPrice('high', high) ?? badPrice('low', low) ?? badPrice('close', close);
  if (notPositive) return notPositive;
  if (high < low) return `high ${high} is below low ${low}`;
  if (high < open) return `high ${high} is below open ${open}`;
  if (high < close) return `high ${high} is below close ${close}`;
  if (low > open) return `low ${low} is above open ${open}`;
  if (low > close) return `low ${low} is above close ${close}`;
  if (!(volume >= 0 && volume < Infinity)) return `volume ${volume} is not a finite number at least 0`;
  return undefined;
}
