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

/**
 * The equity curve as columns, index by index: what the outputs read of a run of a million periods without
 * making a million objects. Do not change the arrays: they are cached by the curve.
 */
export interface EquityColumns {
  readonly length: number;
  readonly time: Float64Array;
  readonly equity: Float64Array;
  /** Against the running peak, as in EquityPoint. */
  readonly drawdownPct: Float64Array;
}

/** Points given as objects (tests, the test kit's results) as the columns the outputs read. */
export function equityColumns(points: EquityColumns | readonly Pick<EquityPoint, 'time' | 'equity' | 'drawdownPct'>[]): EquityColumns {
  if (!Array.isArray(points)) return points as EquityColumns;
  const list = points as readonly Pick<EquityPoint, 'time' | 'equity' | 'drawdownPct'>[];
  const columns = { length: list.length, time: new Float64Array(list.length), equity: new Float64Array(list.length), drawdownPct: new Float64Array(list.length) };
  list.forEach((p, i) => {
    columns.time[i] = p.time;
    columns.equity[i] = p.equity;
    columns.drawdownPct[i] = p.drawdownPct;
  });
  return columns;
}

/** Points per storage chunk: 64 Ki points, about 1.1 MB. */
const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

/**
 * The equity of a backtest, one point per candle period. A backtest records a million points, so they live
 * in typed arrays (17 bytes a point) and become objects only when `points()` is asked for. The arrays come in
 * fixed chunks rather than one array that doubles: growing copies nothing, and no outgrown array lingers
 * until the next full garbage collection (which had the curve take twice its size at the worst moment).
 */
export class EquityCurve {
  private readonly times: Float64Array[] = [];
  private readonly equities: Float64Array[] = [];
  private readonly positionFlags: Uint8Array[] = [];
  private size = 0;
  private inPositionTotal = 0;
  private cached: readonly EquityPoint[] | undefined;
  private cachedValues: Float64Array | undefined;
  private cachedColumns: EquityColumns | undefined;

  /**
   * Records the equity at `time`. Several symbols' candles close at one timestamp and each may record, so a
   * second record at the last point's time replaces that point: the curve keeps the state after all of them.
   * The common case (a new, later point) is kept to a few lines, the rest in recordOther(): this runs once a
   * period, inlined into the backtest's loop, and with the checks and the chunk growth inline the same
   * 657,410-candle backtest played some 15 % slower (0.81-0.83 s against 0.61-0.73 s, alternated).
   */
  record(time: number, equity: number, inPosition: boolean): void {
    const last = this.size - 1;
    const lastTime = last >= 0 ? this.timeAt(last) : -Infinity;
    // Also false for a NaN time: `time > lastTime` is then false.
    if (!(time > lastTime) || !Number.isFinite(equity) || !Number.isFinite(time)) return this.recordOther(time, equity, inPosition, last, lastTime);
    if (this.cached !== undefined || this.cachedValues !== undefined || this.cachedColumns !== undefined) this.dropCaches();
    if ((this.size & CHUNK_MASK) === 0) this.addChunk();
    this.write(this.size, time, equity, inPosition);
    this.size++;
  }

  /** A point that is not finite, comes before the last one, or replaces it (the same time). */
  private recordOther(time: number, equity: number, inPosition: boolean, last: number, lastTime: number): void {
    if (!Number.isFinite(equity)) throw new Error(`equity at ${time} is ${equity}; it must be a finite number`);
    if (!Number.isFinite(time)) throw new Error(`equity point time ${time} is not a finite number`);
    if (time < lastTime) throw new Error(`equity point at ${time} comes before the last one at ${lastTime}; record in time order`);
    this.dropCaches();
    this.inPositionTotal -= this.positionFlags[last >>> CHUNK_BITS]![last & CHUNK_MASK]!;
    this.write(last, time, equity, inPosition);
  }

  private dropCaches(): void {
    this.cached = undefined;
    this.cachedValues = undefined;
    this.cachedColumns = undefined;
  }

  private addChunk(): void {
    this.times.push(new Float64Array(CHUNK_SIZE));
    this.equities.push(new Float64Array(CHUNK_SIZE));
    this.positionFlags.push(new Uint8Array(CHUNK_SIZE));
  }

  get length(): number {
    return this.size;
  }

  /** Number of points recorded with a position open; kept as points arrive so exposure needs no pass. */
  get inPositionCount(): number {
    return this.inPositionTotal;
  }

  /** The equity values in time order, in one array made once and kept until the next record: do not change it. */
  equityValues(): ArrayLike<number> {
    if (this.cachedValues) return this.cachedValues;
    const values = sharedFloat64(this.size);
    for (let c = 0; c < this.equities.length; c++) {
      const from = c * CHUNK_SIZE;
      values.set(this.equities[c]!.subarray(0, Math.min(CHUNK_SIZE, this.size - from)), from);
    }
    this.cachedValues = values;
    return values;
  }

  /**
   * Times, equities and drawdowns in three arrays, made once and kept until the next record (24 bytes a
   * point), in shared memory: the thread writing equity.csv reads them where they are.
   */
  columns(): EquityColumns {
    if (this.cachedColumns) return this.cachedColumns;
    const equity = this.equityValues() as Float64Array;
    const time = sharedFloat64(this.size);
    for (let c = 0; c < this.times.length; c++) {
      const from = c * CHUNK_SIZE;
      time.set(this.times[c]!.subarray(0, Math.min(CHUNK_SIZE, this.size - from)), from);
    }
    const drawdown = sharedFloat64(this.size);
    let peak = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const value = equity[i]!;
      if (value > peak) peak = value;
      drawdown[i] = drawdownPct(peak, value);
    }
    this.cachedColumns = { length: this.size, time, equity, drawdownPct: drawdown };
    return this.cachedColumns;
  }

  /** The points as objects, drawdown computed against the running peak; cached until the next record. */
  points(): readonly EquityPoint[] {
    if (this.cached) return this.cached;
    const points: EquityPoint[] = new Array<EquityPoint>(this.size);
    let peak = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const chunk = i >>> CHUNK_BITS;
      const at = i & CHUNK_MASK;
      const equity = this.equities[chunk]![at]!;
      peak = Math.max(peak, equity);
      points[i] = { time: this.times[chunk]![at]!, equity, drawdownPct: drawdownPct(peak, equity), inPosition: this.positionFlags[chunk]![at] === 1 };
    }
    this.cached = points;
    return points;
  }

  private timeAt(index: number): number {
    return this.times[index >>> CHUNK_BITS]![index & CHUNK_MASK]!;
  }

  private write(index: number, time: number, equity: number, inPosition: boolean): void {
    const chunk = index >>> CHUNK_BITS;
    const at = index & CHUNK_MASK;
    this.times[chunk]![at] = time;
    this.equities[chunk]![at] = equity;
    this.positionFlags[chunk]![at] = inPosition ? 1 : 0;
    if (inPosition) this.inPositionTotal++;
  }
}

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
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
