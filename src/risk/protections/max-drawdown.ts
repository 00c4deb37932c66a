import { money, percent } from '../format-figures';
import type { TradingState } from '../trading-state';
import type { Protection } from './protection';

export interface MaxDrawdownState {
  peak: number;
  halted: boolean;
}

/**
 * `risk.maxDrawdownPct`: halts trading once the equity is that far below its highest mark, and lets go once
 * it is back within the limit (prices recovered, or the limit was raised or turned off). A drawdown that
 * deep wants a human, so it does not wear off with time or a restart; the peak is kept even while the limit
 * is off, so turning it on by a reload measures from the true peak.
 */
export class MaxDrawdown implements Protection {
  readonly name = 'max-drawdown';
  state: TradingState = 'active';
  reason = '';
  private peak = 0;
  private last = Number.NaN;

  constructor(private limitPct: number) {}

  setLimit(limitPct: number): void {
    this.limitPct = limitPct;
    if (!Number.isNaN(this.last)) this.judge(this.last);
  }

  /** An equity mark (a period's close or a fill). */
  mark(equity: number): void {
    this.last = equity;
    if (equity > this.peak) this.peak = equity;
    // The one check per mark while the protection is off.
    if (this.limitPct > 0 || this.state !== 'active') this.judge(equity);
  }

  snapshot(): MaxDrawdownState {
    return { peak: this.peak, halted: this.state === 'halted' };
  }

  restore(saved: MaxDrawdownState): void {
    this.peak = saved.peak;
    if (saved.halted) {
      this.state = 'halted';
      this.reason = `equity fell more than ${this.limitPct} % below its peak ${money(saved.peak)} before the restart`;
    }
  }

  private judge(equity: number): void {
    const drawdown = this.peak > 0 ? ((this.peak - equity) / this.peak) * 100 : 0;
    const over = this.limitPct > 0 && drawdown >= this.limitPct;
    if (over && this.state === 'active') {
      this.state = 'halted';
      this.reason = `equity ${money(equity)} is ${percent(drawdown)} below its peak ${money(this.peak)} (limit ${this.limitPct} %)`;
    } else if (!over && this.state === 'halted') {
      this.state = 'active';
      this.reason =
        this.limitPct > 0
          ? `equity ${money(equity)} is back within ${this.limitPct} % of its peak ${money(this.peak)} (${percent(drawdown)} below)`
          : 'the drawdown limit was turned off';
    }
  }
}
