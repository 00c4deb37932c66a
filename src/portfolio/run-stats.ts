/**
 * Running figures of the equity curve, updated point by point in constant time and memory: a long run
 * should not have to keep its whole curve just to know its worst drawdown.
 */
export class RunStats {
  private first: { time: number; equity: number } | undefined;
  private last: { time: number; equity: number } | undefined;
  private peak = -Infinity;
  private worstDrawdownPct = 0;
  private count = 0;

  record(time: number, equity: number): void {
    if (!Number.isFinite(equity)) throw new Error(`equity at ${time} is ${equity}; it must be a finite number`);
    const point = { time, equity };
    this.first ??= point;
    this.last = point;
    this.count++;
    this.peak = Math.max(this.peak, equity);
    // Below a zero peak a percentage has no meaning; an account there has bigger problems than this figure.
    if (this.peak > 0) this.worstDrawdownPct = Math.max(this.worstDrawdownPct, ((this.peak - equity) / this.peak) * 100);
  }

  get pointCount(): number {
    return this.count;
  }

  get startTime(): number | undefined {
    return this.first?.time;
  }

  get startEquity(): number | undefined {
    return this.first?.equity;
  }

  get lastTime(): number | undefined {
    return this.last?.time;
  }

  get lastEquity(): number | undefined {
    return this.last?.equity;
  }

  get peakEquity(): number | undefined {
    return this.count > 0 ? this.peak : undefined;
  }

  /** Largest peak-to-trough fall so far, in percent of the peak, as a positive number; 0 before any fall. */
  get maxDrawdownPct(): number {
    return this.worstDrawdownPct;
  }
}
