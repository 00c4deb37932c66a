import { UserError } from '../core/errors';
import type { CandleSeries } from './candle-file';
import { isoTime } from './candle-time';
import type { Candle, MarketEvent, MarketSource } from './types';

/** Times to replay, both ends included; either may be left out. */
export interface ReplayRange {
  from?: number;
  to?: number;
}

/** Index of the first candle at or after `time` (candles ascending), or candles.length. */
function firstAtOrAfter(candles: readonly Candle[], time: number): number {
  let low = 0;
  let high = candles.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (candles[mid]!.time < time) low = mid + 1;
    else high = mid;
  }
  return low;
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
 * or a file that starts later) simply has no event there. Candles only, no ticks.
 */
export class ReplayMarket implements MarketSource {
  readonly description: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Distinct candle times in range: how many times `next()` returns events. */
  readonly periods: number;
  /** Earliest and latest candle time in range. */
  readonly firstTime: number;
  readonly lastTime: number;

  private readonly candles: readonly (readonly Candle[])[];
  /** Per series, the next candle to play and the end of the range (exclusive); a k-way merge on indexes. */
  private readonly cursors: number[];
  private readonly ends: readonly number[];
  private playedPeriods = 0;

  constructor(series: readonly CandleSeries[], range: ReplayRange = {}) {
    checkSeries(series);
    const from = range.from ?? -Infinity;
    const to = range.to ?? Infinity;
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('replay range ends must be numbers');
    if (from > to) throw new UserError(`the replay range is empty: it starts at ${isoTime(from)}, after its end at ${isoTime(to)}`);

    this.symbols = series.map((s) => s.symbol);
    this.timeframe = series[0]!.timeframe;
    this.candles = series.map((s) => s.candles);
    this.cursors = this.candles.map((c) => firstAtOrAfter(c, from));
    // The first candle after `to` is the first at or after to + 1, as times are whole ms.
    this.ends = this.candles.map((c) => firstAtOrAfter(c, Math.floor(to) + 1));

    const { periods, firstTime, lastTime } = this.survey();
    if (periods === 0) throw new UserError(`no candles of ${this.describeFiles(series)} fall between ${describeEnd(from)} and ${describeEnd(to)}`);
    this.periods = periods;
    this.firstTime = firstTime;
    this.lastTime = lastTime;
    const total = this.ends.reduce((sum, end, i) => sum + end - this.cursors[i]!, 0);
    const count = total === periods ? `${total} candles` : `${periods} periods, ${total} candles`;
    this.description =
      `replay of ${series.length} ${series.length === 1 ? 'file' : 'files'}: ${this.symbols.join(', ')} on ${this.timeframe}, ` +
      `${isoTime(firstTime)} -> ${isoTime(lastTime)} (${count})`;
  }

  /** Periods returned by `next()` so far, for progress. */
  get played(): number {
    return this.playedPeriods;
  }

  next(): MarketEvent[] | undefined {
    const time = this.earliest(this.cursors);
    if (time === undefined) return undefined;
    const events: MarketEvent[] = [];
    this.take(this.cursors, time, events);
    this.playedPeriods++;
    return events;
  }

  /** Moves past every candle at `time` (the earliest left), adding them to `events` when given. */
  private take(cursors: number[], time: number, events?: MarketEvent[]): void {
    for (let s = 0; s < cursors.length; s++) {
      const cursor = cursors[s]!;
      if (cursor >= this.ends[s]!) continue;
      const candle = this.candles[s]![cursor]!;
      if (candle.time !== time) continue;
      events?.push({ kind: 'candle', candle });
      cursors[s] = cursor + 1;
    }
  }

  /** The time of the next candle of any series at `cursors`, or undefined when all are played. */
  private earliest(cursors: readonly number[]): number | undefined {
    let time: number | undefined;
    for (let s = 0; s < this.candles.length; s++) {
      const cursor = cursors[s]!;
      if (cursor >= this.ends[s]!) continue;
      const t = this.candles[s]![cursor]!.time;
      if (time === undefined || t < time) time = t;
    }
    return time;
  }

  /** Counts the periods by running the merge once on a copy of the cursors. */
  private survey(): { periods: number; firstTime: number; lastTime: number } {
    const cursors = [...this.cursors];
    let periods = 0;
    let firstTime = NaN;
    let lastTime = NaN;
    for (let time = this.earliest(cursors); time !== undefined; time = this.earliest(cursors)) {
      if (periods === 0) firstTime = time;
      lastTime = time;
      periods++;
      this.take(cursors, time);
    }
    return { periods, firstTime, lastTime };
  }

  private describeFiles(series: readonly CandleSeries[]): string {
    const spans = series.map((s) => {
      const first = s.candles[0];
      const last = s.candles[s.candles.length - 1];
      return first && last ? `${s.file} (${isoTime(first.time)} -> ${isoTime(last.time)})` : `${s.file} (empty)`;
    });
    return spans.join(', ');
  }
}

function describeEnd(time: number): string {
  return Number.isFinite(time) ? isoTime(time) : time < 0 ? 'the start' : 'the end';
}
