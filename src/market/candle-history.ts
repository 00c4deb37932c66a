import { RingBuffer } from './ring-buffer';
import type { Candle } from './types';

/** The last `capacity` closed candles of each symbol and timeframe, for strategies that need a look back. */
export class CandleHistory {
  /** symbol -> timeframe -> candles; nested so a lookup builds no key string. */
  private readonly buffers = new Map<string, Map<string, RingBuffer<Candle>>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
  }

  /** Keeps `candle`, dropping the oldest of its symbol and timeframe when full. */
  add(candle: Candle): void {
    this.seriesOf(candle).push(candle);
  }

  /**
   * The kept candles of `candle`'s symbol and timeframe, made empty on first use: a caller that checks the
   * newest one before pushing does both with one lookup.
   */
  seriesOf(candle: Candle): RingBuffer<Candle> {
    let byTimeframe = this.buffers.get(candle.symbol);
    if (!byTimeframe) {
      byTimeframe = new Map();
      this.buffers.set(candle.symbol, byTimeframe);
    }
    let buffer = byTimeframe.get(candle.timeframe);
    if (!buffer) {
      buffer = new RingBuffer<Candle>(this.capacity);
      byTimeframe.set(candle.timeframe, buffer);
    }
    return buffer;
  }

  /** The last `limit` kept candles (all when absent; none for 0 or less), oldest first, in a new array. */
  get(symbol: string, timeframe: string, limit?: number): Candle[] {
    return this.buffers.get(symbol)?.get(timeframe)?.last(limit) ?? [];
  }

  size(symbol: string, timeframe: string): number {
    return this.buffers.get(symbol)?.get(timeframe)?.size ?? 0;
  }
}
