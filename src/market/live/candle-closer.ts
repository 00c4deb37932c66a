import { timeframeMs } from '../timeframe';
import type { Candle } from '../types';
import { byTimeLastWins, ohlcvCandle } from './ohlcv-candle';
import type { OhlcvValues } from './types';

export type CloserResult =
  /** Closed candles to emit now, oldest first (possibly none). */
  | { kind: 'closed'; candles: Candle[] }
  /**
   * Candles with open times in [from, to] are closed but some are missing (a reconnect, a skipped update):
   * fetch that range over REST and pass it to `settle`, with `seen` (the stream's own candles of the range,
   * not emitted yet) as a fallback. Nothing is emitted until then, so a failed backfill loses nothing.
   */
  | { kind: 'gap'; from: number; to: number; seen: Candle[] };

/**
 * Turns successive OHLCV snapshots of one symbol (ccxt's watchOHLCV: the candles updated since the last
 * call; a REST poll: the last few) into closed candles, each exactly once and in order. A candle is closed
 * once a newer one exists, or once the caller says the exchange's clock is past its close. Everything at
 * or before `settledThrough` is done with: emitted, or known not to exist on the exchange.
 */
export class CandleCloser {
  private readonly periodMs: number;
  private settled: number | undefined;
  private formingCandle: Candle | undefined;
  private resyncing = false;

  constructor(
    readonly symbol: string,
    readonly timeframe: string,
  ) {
    this.periodMs = timeframeMs(timeframe);
  }

  /** Open time of the last candle done with; undefined until a warmup or the first snapshot sets it. */
  get settledThrough(): number | undefined {
    return this.settled;
  }

  /** The newest candle seen that is not closed yet, in its latest version. */
  get forming(): Candle | undefined {
    return this.formingCandle;
  }

  /** Exchange time at which the next unsettled candle closes; undefined before anything is known. */
  nextClose(): number | undefined {
    if (this.formingCandle) return this.formingCandle.time + this.periodMs;
    return this.settled === undefined ? undefined : this.settled + 2 * this.periodMs;
  }

  /**
   * After the stream broke: the forming candle missed its updates while disconnected, and older candles
   * in the first snapshot after the reconnect may come from ccxt's cache just as stale. Only that
   * snapshot's newest candle is current; everything it closes is fetched over REST (as a gap) instead.
   */
  resync(): void {
    this.formingCandle = undefined;
    this.resyncing = true;
  }

  /**
   * Takes one snapshot. `closedThrough`: the open time through which candles are final although no newer
   * one may be in the snapshot, for snapshots fetched over REST when the exchange's clock was past it.
   */
  push(rows: ReadonlyArray<OhlcvValues>, closedThrough?: number): CloserResult {
    const fresh: Candle[] = [];
    for (const row of rows) {
      const candle = ohlcvCandle(this.symbol, this.timeframe, row);
      if (candle && (this.settled === undefined || candle.time > this.settled)) fresh.push(candle);
    }
    // The forming candle goes first so that the snapshot's newer version of it wins.
    const candidates = byTimeLastWins(this.formingCandle ? [this.formingCandle, ...fresh] : fresh);
    const newest = candidates.at(-1);
    if (!newest) return { kind: 'closed', candles: [] };
    const boundary = Math.max(newest.time - this.periodMs, closedThrough ?? -Infinity);
    const closed = this.resyncing ? [] : candidates.filter((c) => c.time <= boundary);
    this.formingCandle = newest.time > boundary ? newest : undefined;
    this.resyncing = false;

    // With nothing to continue from, the first snapshot is the start: what came before is not ours to fill.
    if (this.settled === undefined) {
      this.settled = boundary;
      return { kind: 'closed', candles: closed };
    }
    const from = this.settled + this.periodMs;
    if (boundary < from) return { kind: 'closed', candles: [] };
    if (!isContiguous(closed, from, boundary, this.periodMs)) return { kind: 'gap', from, to: boundary, seen: closed };
    this.settled = boundary;
    return { kind: 'closed', candles: closed };
  }

  /**
   * Marks every candle through open time `through` as done and returns those of `candles` (REST's, which
   * win over the stream's versions) not emitted yet, oldest first. The forming candle, if it is among
   * them, is the fallback for a time REST did not return.
   */
  settle(candles: readonly Candle[], through: number): Candle[] {
    if (this.settled !== undefined && through <= this.settled) return [];
    const forming = this.formingCandle && this.formingCandle.time <= through ? [this.formingCandle] : [];
    const after = this.settled ?? -Infinity;
    const out = byTimeLastWins([...forming, ...candles]).filter((c) => c.time > after && c.time <= through);
    this.settled = through;
    if (forming.length > 0) this.formingCandle = undefined;
    return out;
  }
}

function isContiguous(candles: readonly Candle[], from: number, to: number, periodMs: number): boolean {
  if (candles.length !== (to - from) / periodMs + 1) return false;
  return candles.every((c, i) => c.time === from + i * periodMs);
}
