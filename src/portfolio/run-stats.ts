/**
 * Running figures of the equity curve, updated point by point in constant time and memory: a long run
 * should not have to keep its whole curve just to know its worst drawdown.
 */
export interface RunStatsState {
  firstTime: number;
  firstEquity: number;
  latestTime: number;
  latestEquity: number;
  /** null before the first point (JSON has no -Infinity). */
  peak: number | null;
  worstDrawdownPct: number;
  count: number;
}

export class RunStats {
  // Plain fields rather than point objects: record() runs on every candle.
  private firstTime = 0;
  private firstEquity = 0;
  private latestTime = 0;
  private latestEquity = 0;
  private peak = -Infinity;
  private worstDrawdownPct = 0;
  private count = 0;

  record(time: number, equity: number): void {
    if (!Number.isFinite(equity)) throw new Error(`equity at ${time} is ${equity}; it must be a finite number`);
    if (this.count === 0) {
      this.firstTime = time;
      this.firstEquity = equity;
    }
    this.latestTime = time;
    this.latestEquity = equity;
    this.count++;
    this.peak = Math.max(this.peak, equity);
    // Below a zero peak a percentage has no meaning; an account there has bigger problems than this figure.
    if (this.peak > 0) this.worstDrawdownPct = Math.max(this.worstDrawdownPct, ((this.peak - equity) / this.peak) * 100);
  }

  toState(): RunStatsState {
    const { firstTime, firstEquity, latestTime, latestEquity, peak, worstDrawdownPct, count } = this;
    return { firstTime, firstEquity, latestTime, latestEquity, peak: Number.isFinite(peak) ? peak : null, worstDrawdownPct, count };
  }

  static fromState(state: RunStatsState): RunStats {
    const stats = new RunStats();
    stats.firstTime = state.firstTime;
    stats.firstEquity = state.firstEquity;
    stats.latestTime = state.latestTime;
    stats.latestEquity = state.latestEquity;
    stats.peak = state.peak ?? -Infinity;
    stats.worstDrawdownPct = state.worstDrawdownPct;
    stats.count = state.count;
    return stats;
  }

  get pointCount(): number {
    return this.count;
  }

  get startTime(): number | undefined {
    return this.count > 0 ? this.firstTime : undefined;
  }

  get startEquity(): number | undefined {
    return this.count > 0 ? this.firstEquity : undefined;
  }

  get lastTime(): number | undefined {
    return this.count > 0 ? this.latestTime : undefined;
  }

  get lastEquity(): number | undefined {
    return this.count > 0 ? this.latestEquity : undefined;
  }

  get peakEquity(): number | undefined {
    return this.count > 0 ? this.peak : undefined;
  }

  /** Largest peak-to-trough fall so far, in percent of the peak, as a positive number; 0 before any fall. */
  get maxDrawdownPct(): number {
    return this.worstDrawdownPct;
  }
}
