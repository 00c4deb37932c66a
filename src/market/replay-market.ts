import { UserError } from '../core/errors';
import type { CandleSeries } from './candle-file';
import { isoTime } from './candle-time';
import type { CandleColumns } from './candle-columns';
import type { Candle, MarketEvent, MarketSource } from './types';

/** Times to replay, both ends included; either may be left out. */
export interface ReplayRange {
  from?: number;
  to?: number;
}

function checkSeries(series: readonly CandleSeries[]): void {
  if (series.length === 0) throw new UserError('a replay needs at least one candle file');
  const first = series[0]!;
  const other = series.find((s) => s.timeframe !== first.timeframe);
  if (other) {
    throw new UserError(`candle files must share one timeframe, but ${first.file} is ${first.timeframe} and ${other.file} is ${other.timeframe}`);
  }
  series.forEach((s, i) => {
    const twin = series.slice(i + 1).find((t) => t.symbol === s.symbol);
    if (twin) throw new UserError(`candle files ${s.file} and ${twin.file} both hold ${s.symbol}; give one file per symbol`);
  });
}

/**
 * Plays candle files back as a market: each `next()` is one candle period, with one candle event per symbol
 * that has a candle at that time, in the order the series were given. A symbol missing from a period (a gap,
 * or a file that starts later) simply has no event there. Candles only, no ticks. Each candle played is a
 * new object built from the series' columns.
 */
export class ReplayMarket implements MarketSource {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Earliest and latest candle time in range. */
  readonly firstTime: number;
  readonly lastTime: number;
  /** Candles in range, over all series. */
  readonly candleCount: number;

  private readonly candles: readonly CandleColumns[];
  /** Per series, the next candle to play and the end of the range (exclusive); a k-way merge on indexes. */
  private readonly cursors: number[];
  private readonly starts: readonly number[];
  private readonly ends: readonly number[];
  private playedPeriods = 0;
  /** Counted on first use: a pass over every candle that a backtest without a progress bar does not need. */
  private periodCount: number | undefined;
  /**
   * Reused from one period to the next, as MarketSource allows: a backtest plays millions of candles,
   * and a fresh event object per candle was a good part of its garbage.
   */
  private readonly events: MarketEvent[] = [];
  private readonly eventOf: { kind: 'candle'; candle: Candle }[];

  constructor(series: readonly CandleSeries[], range: ReplayRange = {}) {
    checkSeries(series);
    const from = range.from ?? -Infinity;
    const to = range.to ?? Infinity;
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('replay range ends must be numbers');
    if (from > to) throw new UserError(`the replay range is empty: it starts at ${isoTime(from)}, after its end at ${isoTime(to)}`);

    this.symbols = series.map((s) => s.symbol);
    // Each wrapper's candle is replaced before the wrapper is played; NaN until then.
    this.eventOf = series.map((s) => ({ kind: 'candle', candle: { symbol: s.symbol, timeframe: s.timeframe, time: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN } }));
    this.timeframe = series[0]!.timeframe;
    this.candles = series.map((s) => s.candles);
    this.starts = this.candles.map((c) => c.firstAtOrAfter(from));
    this.cursors = [...this.starts];
    this.ends = this.candles.map((c) => c.firstAfter(to));

    this.candleCount = this.ends.reduce((sum, end, i) => sum + end - this.cursors[i]!, 0);
    if (this.candleCount === 0) throw new UserError(`no candles of ${this.describeFiles(series)} fall between ${describeEnd(from)} and ${describeEnd(to)}`);
    let firstTime = Infinity;
    let lastTime = -Infinity;
    for (let s = 0; s < this.candles.length; s++) {
      if (this.cursors[s]! >= this.ends[s]!) continue;
      firstTime = Math.min(firstTime, this.candles[s]!.time[this.cursors[s]!]!);
      lastTime = Math.max(lastTime, this.candles[s]!.time[this.ends[s]! - 1]!);
    }
    this.firstTime = firstTime;
    this.lastTime = lastTime;
  }

  /** Distinct candle times in range: how many times `next()` returns events. */
  get periods(): number {
    this.periodCount ??= this.countPeriods();
    return this.periodCount;
  }

  get description(): string {
    const { periods, candleCount } = this;
    const files = this.candles.length;
    const count = candleCount === periods ? `${candleCount} candles` : `${periods} periods, ${candleCount} candles`;
    return (
      `replay of ${files} ${files === 1 ? 'file' : 'files'}: ${this.symbols.join(', ')} on ${this.timeframe}, ` +
      `${isoTime(this.firstTime)} -> ${isoTime(this.lastTime)} (${count})`
    );
  }

  /** Periods returned by `next()` so far, for progress. */
  get played(): number {
    return this.playedPeriods;
  }

  next(): readonly MarketEvent[] | undefined {
    const time = this.earliest(this.cursors);
    if (time === Infinity) return undefined;
    this.events.length = 0;
    this.take(this.cursors, time, true);
    this.playedPeriods++;
    return this.events;
  }

  /** Moves past every candle at `time` (the earliest left), adding them to the period's events when `collect`. */
  private take(cursors: number[], time: number, collect: boolean): void {
    for (let s = 0; s < cursors.length; s++) {
      const cursor = cursors[s]!;
      if (cursor >= this.ends[s]!) continue;
      const columns = this.candles[s]!;
      if (columns.time[cursor] !== time) continue;
      if (collect) {
        const event = this.eventOf[s]!;
        event.candle = columns.at(cursor);
        this.events.push(event);
      }
      cursors[s] = cursor + 1;
    }
  }

  /** The time of the next candle of any series at `cursors`, or Infinity when all are played. */
  private earliest(cursors: readonly number[]): number {
    // Infinity rather than undefined for "none": a variable that is a number or undefined makes V8 box
    // every number it holds, an allocation per series and period.
    let time = Infinity;
    for (let s = 0; s < this.candles.length; s++) {
      const cursor = cursors[s]!;
      if (cursor >= this.ends[s]!) continue;
      const t = this.candles[s]!.time[cursor]!;
      if (t < time) time = t;
    }
    return time;
  }

  /** Runs the merge once on a copy of the starting cursors. */
  private countPeriods(): number {
    // take() moves each series one candle at most: with one series, every candle is a period of its own.
    if (this.candles.length === 1) return this.candleCount;
    const cursors = [...this.starts];
    let periods = 0;
    for (let time = this.earliest(cursors); time !== Infinity; time = this.earliest(cursors)) {
      periods++;
      this.take(cursors, time, false);
    }
    return periods;
  }

  private describeFiles(series: readonly CandleSeries[]): string {
    const spans = series.map((s) => {
      const { time, length } = s.candles;
      return length > 0 ? `${s.file} (${isoTime(time[0]!)} -> ${isoTime(time[length - 1]!)})` : `${s.file} (empty)`;
    });
    return spans.join(', ');
  }
}

function describeEnd(time: number): string {
  return Number.isFinite(time) ? isoTime(time) : time < 0 ? 'the start' : 'the end';
}
