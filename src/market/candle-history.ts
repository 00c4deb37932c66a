import { RingBuffer } from './ring-buffer';
import type { Candle } from './types';

/** The last `capacity` closed candles of each symbol and timeframe, for strategies that need a look back. */
export class CandleHistory {
  /**
   * timeframe -> symbol -> candles; nested so a lookup builds no key string. A run has one timeframe, so the
   * symbols' map of the last one asked is kept at hand: one lookup per candle instead of two.
   */
  private readonly buffers = new Map<string, Map<string, RingBuffer<Candle>>>();
  private lastTimeframe = '';
  private lastBySymbol: Map<string, RingBuffer<Candle>> | undefined;

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
    const bySymbol = this.symbolsOf(candle.timeframe);
    let buffer = bySymbol.get(candle.symbol);
    if (!buffer) {
      buffer = new RingBuffer<Candle>(this.capacity);
      bySymbol.set(candle.symbol, buffer);
    }
    return buffer;
  }

  private symbolsOf(timeframe: string): Map<string, RingBuffer<Candle>> {
    if (timeframe === this.lastTimeframe && this.lastBySymbol !== undefined) return this.lastBySymbol;
    let bySymbol = this.buffers.get(timeframe);
    if (!bySymbol) {
      bySymbol = new Map();
      this.buffers.set(timeframe, bySymbol);
    }
    this.lastTimeframe = timeframe;
    this.lastBySymbol = bySymbol;
    return bySymbol;
  }

  /** The last `limit` kept candles (all when absent; none for 0 or less), oldest first, in a new array. */
  get(symbol: string, timeframe: string, limit?: number): Candle[] {
    return this.buffers.get(timeframe)?.get(symbol)?.last(limit) ?? [];
  }

  size(symbol: string, timeframe: string): number {
    return this.buffers.get(timeframe)?.get(symbol)?.size ?? 0;
  }
}
