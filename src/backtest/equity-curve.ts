/** One recorded candle period of a backtest's equity. */
export interface EquityPoint {
  /** Candle time (ms since the epoch). */
  time: number;
  equity: number;
  /** (peak - equity) / peak x 100 against the highest equity so far, this point included; >= 0. */
  drawdownPct: number;
  /** True when any position was open at this point. */
  inPosition: boolean;
}

const INITIAL_CAPACITY = 1024;

/**
 * The equity of a backtest, one point per candle period. A backtest records a million points, so they live
 * in growing typed arrays (17 bytes a point) and become objects only when `points()` is asked for.
 */
export class EquityCurve {
  private times = new Float64Array(INITIAL_CAPACITY);
  private equities = new Float64Array(INITIAL_CAPACITY);
  private positionFlags = new Uint8Array(INITIAL_CAPACITY);
  private size = 0;
  private inPositionTotal = 0;
  private cached: readonly EquityPoint[] | undefined;

  /**
   * Records the equity at `time`. Several symbols' candles close at one timestamp and each may record, so a
   * second record at the last point's time replaces that point: the curve keeps the state after all of them.
   */
  record(time: number, equity: number, inPosition: boolean): void {
    if (!Number.isFinite(equity)) throw new Error(`equity at ${time} is ${equity}; it must be a finite number`);
    if (!Number.isFinite(time)) throw new Error(`equity point time ${time} is not a finite number`);
    const last = this.size - 1;
    const lastTime = last >= 0 ? (this.times[last] ?? -Infinity) : -Infinity;
    if (time < lastTime) throw new Error(`equity point at ${time} comes before the last one at ${lastTime}; record in time order`);
    this.cached = undefined;
    if (time === lastTime) {
      this.inPositionTotal -= this.positionFlags[last] ?? 0;
      this.write(last, time, equity, inPosition);
      return;
    }
    if (this.size === this.times.length) this.grow();
    this.write(this.size, time, equity, inPosition);
    this.size++;
  }

  get length(): number {
    return this.size;
  }

  /** Number of points recorded with a position open; kept as points arrive so exposure needs no pass. */
  get inPositionCount(): number {
    return this.inPositionTotal;
  }

  /** The equity values in time order, as a view on the curve's own storage: no copy, so do not keep it past the next record. */
  equityValues(): ArrayLike<number> {
    return this.equities.subarray(0, this.size);
  }

  /** The points as objects, drawdown computed against the running peak; cached until the next record. */
  points(): readonly EquityPoint[] {
    if (this.cached) return this.cached;
    const points: EquityPoint[] = new Array<EquityPoint>(this.size);
    let peak = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const equity = this.equities[i] ?? 0;
      peak = Math.max(peak, equity);
      points[i] = { time: this.times[i] ?? 0, equity, drawdownPct: drawdownPct(peak, equity), inPosition: this.positionFlags[i] === 1 };
    }
    this.cached = points;
    return points;
  }

  private write(index: number, time: number, equity: number, inPosition: boolean): void {
    this.times[index] = time;
    this.equities[index] = equity;
    this.positionFlags[index] = inPosition ? 1 : 0;
    if (inPosition) this.inPositionTotal++;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    this.times = copyInto(new Float64Array(capacity), this.times);
    this.equities = copyInto(new Float64Array(capacity), this.equities);
    this.positionFlags = copyInto(new Uint8Array(capacity), this.positionFlags);
  }
}

/** Fall from `peak` to `equity` in percent of the peak; 0 at or above the peak, and when the peak is not positive (no meaningful percentage there). */
export function drawdownPct(peak: number, equity: number): number {
  return peak > 0 && equity < peak ? ((peak - equity) / peak) * 100 : 0;
}

/** Largest drawdown over equity values in time order, in percent; 0 for an empty or never-falling curve. */
export function maxDrawdownPct(equities: ArrayLike<number>): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < equities.length; i++) {
    const equity = equities[i] ?? 0;
    peak = Math.max(peak, equity);
    worst = Math.max(worst, drawdownPct(peak, equity));
  }
  return worst;
}

function copyInto<T extends Float64Array | Uint8Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
