import { alignToTimeframe, timeframeMs } from '../timeframe';
import type { Tick } from '../types';
import type { LiveTrade } from './types';

/**
 * Turns trades (or polled prices) of one symbol into ticks that keep time order with its closed candles.
 *
 * - Tick times strictly increase, as the DataAgent's guard requires: trades of the same millisecond become
 *   one tick (last price, summed amount) while held; a trade at or before the last tick is dropped. A tick
 *   is a price step: the candles carry the volume.
 * - A tick after the close of a candle not yet emitted waits for it, and one whose candle is already out
 *   comes too late and is dropped, so a strategy never sees a price from after a candle before that candle.
 */
export class TickSequencer {
  private readonly periodMs: number;
  private readonly held: Tick[] = [];
  private lastTime = -Infinity;
  private settled: number | undefined;

  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    /** Safety cap: past it the oldest held ticks are dropped (the candle loop settles or fails well before). */
    private readonly maxHeld = 10_000,
  ) {
    this.periodMs = timeframeMs(timeframe);
  }

  addTrades(trades: ReadonlyArray<LiveTrade>): void {
    for (const trade of trades) {
      if (trade.timestamp !== undefined && trade.price !== undefined) this.add(trade.timestamp, trade.price, trade.amount ?? 0);
    }
  }

  add(time: number, price: number, volume: number): void {
    if (!Number.isFinite(time) || !Number.isFinite(price)) return;
    if (this.settled !== undefined && alignToTimeframe(time, this.timeframe) <= this.settled) return;
    const last = this.held.at(-1);
    if (last && last.time === time) {
      last.price = price;
      last.volume += volume;
      return;
    }
    if (time <= this.lastTime) return;
    this.lastTime = time;
    this.held.push({ symbol: this.symbol, time, price, volume });
    if (this.held.length > this.maxHeld) this.held.shift();
  }

  /**
   * The held ticks that may go out now that candles are settled through open time `settledThrough`
   * (undefined: no candle to wait for), oldest first. Call it with every batch of candles emitted.
   */
  release(settledThrough: number | undefined): Tick[] {
    if (settledThrough === undefined) return this.held.splice(0);
    this.settled = settledThrough;
    const ready = this.held.findIndex((t) => alignToTimeframe(t.time, this.timeframe) > settledThrough + this.periodMs);
    return this.held.splice(0, ready === -1 ? this.held.length : ready);
  }
}
