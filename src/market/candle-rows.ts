import { UserError } from '../core/errors';
import { CandleColumns } from './candle-columns';

/** How a format locates its rows in messages: JSON files are often one long line, so rows count there. */
export type RowUnit = 'line' | 'row';

/**
 * The candles read from a file, before they are given their symbol and timeframe, one typed array per field
 * so that a file of a million rows costs seven arrays rather than a million objects. Only the first `length`
 * entries of each array are rows; the arrays grow as rows are added.
 */
export class CandleRows {
  length = 0;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Where each row is in the file, 1-based: the line of a CSV file, the row (array element) of a JSON one. */
  at: Float64Array;

  constructor(capacity = 1024) {
    const size = Math.max(1, capacity);
    this.time = new Float64Array(size);
    this.open = new Float64Array(size);
    this.high = new Float64Array(size);
    this.low = new Float64Array(size);
    this.close = new Float64Array(size);
    this.volume = new Float64Array(size);
    this.at = new Float64Array(size);
  }

  push(time: number, open: number, high: number, low: number, close: number, volume: number, at: number): void {
    const i = this.length;
    if (i === this.time.length) this.grow();
    this.time[i] = time;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.at[i] = at;
    this.length = i + 1;
  }

  /**
   * The rows as one symbol's candle columns, copied to exactly `length` rows: the arrays here grow by
   * doubling, so up to half of each may be spare room.
   */
  toColumns(symbol: string, timeframe: string): CandleColumns {
    const exact = (column: Float64Array): Float64Array => column.slice(0, this.length);
    return new CandleColumns(symbol, timeframe, exact(this.time), exact(this.open), exact(this.high), exact(this.low), exact(this.close), exact(this.volume));
  }

  private grow(): void {
    const size = this.time.length * 2;
    const bigger = (old: Float64Array): Float64Array => {
      const copy = new Float64Array(size);
      copy.set(old);
      return copy;
    };
    this.time = bigger(this.time);
    this.open = bigger(this.open);
    this.high = bigger(this.high);
    this.low = bigger(this.low);
    this.close = bigger(this.close);
    this.volume = bigger(this.volume);
    this.at = bigger(this.at);
  }
}

export interface ParsedCandleFile {
  rows: CandleRows;
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
  if (isGoodCandle(open, high, low, close, volume)) return undefined;
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

/** candleProblem(...) === undefined without building a message: the check every row of a file goes through. */
export function isGoodCandle(open: number, high: number, low: number, close: number, volume: number): boolean {
  return (
    low > 0 &&
    high < Infinity &&
    high >= low &&
    high >= open &&
    high >= close &&
    low <= open &&
    low <= close &&
    volume >= 0 &&
    volume < Infinity
  );
}
