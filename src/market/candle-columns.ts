import type { Candle } from './types';

/**
 * One symbol's candles on one timeframe, ascending by time, held as one Float64Array per field.
 *
 * Why columns and not Candle objects: a candle object costs about 185 bytes of heap, a row of columns 48
 * bytes outside it. Ten million loaded candles took 1.85 GB of heap as objects, and because V8 lets its old
 * generation grow by a share of what is live before it collects, a backtest over them peaked some 250 MB
 * above the candles themselves. Held here, the heap stays small, and the replay builds each Candle as it
 * plays it: a short-lived object the young generation collects for almost nothing.
 *
 * The arrays are shared, never copied (slices are views), and must not be written to.
 */
export class CandleColumns implements Iterable<Candle> {
  readonly length: number;

  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    readonly time: Float64Array,
    readonly open: Float64Array,
    readonly high: Float64Array,
    readonly low: Float64Array,
    readonly close: Float64Array,
    readonly volume: Float64Array,
  ) {
    this.length = time.length;
    for (const column of [open, high, low, close, volume]) {
      if (column.length !== this.length) throw new RangeError(`candle columns must have one length, got ${column.length} and ${this.length}`);
    }
  }

  /**
   * The columns again from what a structured clone makes of them (a worker thread's workerData): the fields
   * without the class. Arrays on a SharedArrayBuffer, as loaded files' are, arrive as views on the same memory.
   */
  static fromClone(clone: Pick<CandleColumns, 'symbol' | 'timeframe' | 'time' | 'open' | 'high' | 'low' | 'close' | 'volume'>): CandleColumns {
    return new CandleColumns(clone.symbol, clone.timeframe, clone.time, clone.open, clone.high, clone.low, clone.close, clone.volume);
  }

  /** Columns holding copies of these candles' fields (the candles' own symbol and timeframe are not read). */
  static fromCandles(symbol: string, timeframe: string, candles: readonly Candle[]): CandleColumns {
    const n = candles.length;
    const columns = new CandleColumns(symbol, timeframe, ...sixColumns(n));
    for (let i = 0; i < n; i++) {
      const c = candles[i]!;
      columns.time[i] = c.time;
      columns.open[i] = c.open;
      columns.high[i] = c.high;
      columns.low[i] = c.low;
      columns.close[i] = c.close;
      columns.volume[i] = c.volume;
    }
    return columns;
  }

  /** A new Candle object for row `index`; the caller may keep it, and nothing else refers to it. */
  at(index: number): Candle {
    // index >>> 0 is the index itself only for a whole number from 0 to 2^32 - 1.
    if (!(index >>> 0 === index && index < this.length)) throw new RangeError(`candle ${index} does not exist: there are ${this.length}`);
    return {
      symbol: this.symbol,
      timeframe: this.timeframe,
      time: this.time[index]!,
      open: this.open[index]!,
      high: this.high[index]!,
      low: this.low[index]!,
      close: this.close[index]!,
      volume: this.volume[index]!,
    };
  }

  /** Index of the first candle at or after `time`, or `length` when there is none. */
  firstAtOrAfter(time: number): number {
    const times = this.time;
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (times[mid]! < time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Rows `start` (included) to `end` (excluded), as views on the same arrays. */
  slice(start: number, end: number = this.length): CandleColumns {
    if (start === 0 && end === this.length) return this;
    const view = (column: Float64Array): Float64Array => column.subarray(start, end);
    return new CandleColumns(this.symbol, this.timeframe, view(this.time), view(this.open), view(this.high), view(this.low), view(this.close), view(this.volume));
  }

  /** Index of the first candle after `time`, or `length` when there is none. */
  firstAfter(time: number): number {
    // The first at or after floor(time) + 1, as candle times are whole ms.
    return this.firstAtOrAfter(Math.floor(time) + 1);
  }

  /** The candles from time `from` to time `to`, both included. */
  within(from: number, to: number): CandleColumns {
    return this.slice(this.firstAtOrAfter(from), this.firstAfter(to));
  }

  /** Every candle as an object: for small series and for tests, not for millions of rows. */
  toArray(): Candle[] {
    const candles = new Array<Candle>(this.length);
    for (let i = 0; i < this.length; i++) candles[i] = this.at(i);
    return candles;
  }

  *[Symbol.iterator](): Iterator<Candle> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

function sixColumns(n: number): [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array] {
  return [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
}
