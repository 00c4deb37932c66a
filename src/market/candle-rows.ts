import { UserError } from '../core/errors';
import { CandleColumns } from './candle-columns';

/** How a format locates its rows in messages: JSON files are often one long line, so rows count there. */
export type RowUnit = 'line' | 'row';

/**
 * The candles read from a file, before they are given their symbol and timeframe, one typed array per field
 * so that a file of a million rows costs six arrays rather than a million objects. Only the first `length`
 * entries of each array are rows; the arrays grow as rows are added.
 *
 * The six arrays are views on one SharedArrayBuffer: the candles a file loads into can then be handed to
 * worker threads (the optimizer's) without a copy. One block of 48 bytes a row also means that past some
 * 700,000 rows (32 MB) the C library maps it on its own and gives it back to the system when it is freed.
 */
export class CandleRows {
  length = 0;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /**
   * Where each row is in the file, 1-based: the line of a CSV file, the row (array element) of a JSON one.
   * A plain array, unlike the fields: it is only needed while the file is checked, and the V8 heap gives its
   * pages back to the system once it is collected, where the C library keeps a freed buffer of a few MB
   * resident for the life of the process.
   */
  readonly at: number[] = [];

  constructor(capacity = 1024) {
    [this.time, this.open, this.high, this.low, this.close, this.volume] = sharedColumns(Math.max(1, capacity));
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
    this.at.push(at);
    this.length = i + 1;
  }

  /**
   * The rows as one symbol's candle columns: views on these very arrays when they are (nearly) full, as they
   * are when sized by `rowsAtMost`, else copies of exactly `length` rows, for arrays that grew by doubling
   * may be half empty. Not copying matters beyond speed: the C library keeps big freed buffers resident,
   * so a loading that copies its rows leaves their size in the process's memory for the whole backtest.
   */
  toColumns(symbol: string, timeframe: string): CandleColumns {
    const n = this.length;
    const nearlyFull = this.time.length - n <= Math.max(64, n >> 6);
    const columns = nearlyFull ? this.fields().map((column) => column.subarray(0, n)) : this.copies(n);
    return new CandleColumns(symbol, timeframe, ...(columns as SixColumns));
  }

  private fields(): SixColumns {
    return [this.time, this.open, this.high, this.low, this.close, this.volume];
  }

  /** The first `length` rows in new shared arrays of `size` rows. */
  private copies(size: number): SixColumns {
    const copies = sharedColumns(size);
    this.fields().forEach((column, i) => copies[i]!.set(column.subarray(0, this.length)));
    return copies;
  }

  private grow(): void {
    [this.time, this.open, this.high, this.low, this.close, this.volume] = this.copies(this.time.length * 2);
  }
}

type SixColumns = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

/** Six arrays of `size` numbers, laid end to end in one SharedArrayBuffer. */
function sharedColumns(size: number): SixColumns {
  const buffer = new SharedArrayBuffer(6 * size * Float64Array.BYTES_PER_ELEMENT);
  const column = (i: number): Float64Array => new Float64Array(buffer, i * size * Float64Array.BYTES_PER_ELEMENT, size);
  return [column(0), column(1), column(2), column(3), column(4), column(5)];
}

/**
 * How many times `char` occurs in `text`: counting a file's line ends (CSV) or opening brackets (JSON) bounds
 * its rows from above, closely enough to size its CandleRows once. A million rows take about 10 ms.
 */
export function rowsAtMost(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
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
