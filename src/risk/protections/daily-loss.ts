import { money, percent } from '../format-figures';
import type { TradingState } from '../trading-state';
import { dayStartTime, utcDay, type Protection } from './protection';

export interface DailyLossState {
  day: number;
  dayStart: number;
  last: number | null;
  reducing: boolean;
}

/**
 * `risk.dailyLossPct`: once the equity is that far below where the UTC day (of market time) began, entries
 * stop (reducing) for the rest of that day. The day begins with the last equity known before it (the
 * previous day's close), or with its first mark when none is. The next UTC day lets go, whether a mark or
 * only the clock says it has come, and measures from the equity then.
 */
export class DailyLoss implements Protection {
  readonly name = 'daily-loss';
  state: TradingState = 'active';
  reason = '';
  private day = Number.NaN;
  private dayStart = 0;
  private last = Number.NaN;
  /** Start of the next UTC day: the one time the clock can change anything here. */
  private nextDayAt = Number.POSITIVE_INFINITY;

  constructor(private limitPct: number) {}

  setLimit(limitPct: number): void {
    this.limitPct = limitPct;
    if (limitPct <= 0 && this.state === 'reducing') {
      this.state = 'active';
      this.reason = 'the daily loss limit was turned off';
    } else if (!Number.isNaN(this.last)) this.judge(this.last);
  }

  mark(equity: number, time: number): void {
    if (time >= this.nextDayAt || Number.isNaN(this.day)) this.beginDay(utcDay(time), equity);
    this.last = equity;
    if (this.limitPct > 0) this.judge(equity);
  }

  /** The clock: a new UTC day may have begun with no mark (nothing held moves the equity). */
  tick(time: number): void {
    if (time >= this.nextDayAt) this.beginDay(utcDay(time), this.last);
  }

  /** When the clock next matters here. */
  get wakeAt(): number {
    return this.state === 'reducing' ? this.nextDayAt : Number.POSITIVE_INFINITY;
  }

  snapshot(): DailyLossState {
    return { day: this.day, dayStart: this.dayStart, last: Number.isNaN(this.last) ? null : this.last, reducing: this.state === 'reducing' };
  }

  restore(saved: DailyLossState): void {
    this.day = saved.day;
    this.dayStart = saved.dayStart;
    this.last = saved.last ?? Number.NaN;
    this.nextDayAt = dayStartTime(saved.day + 1);
    if (saved.reducing) {
      this.state = 'reducing';
      this.reason = `the day's loss reached ${this.limitPct} % of ${money(saved.dayStart)} before the restart; entries resume at ${isoDay(saved.day + 1)}`;
    }
  }

  private beginDay(day: number, equity: number): void {
    this.day = day;
    this.nextDayAt = dayStartTime(day + 1);
    // The previous day's last equity is where this one starts; the very first mark starts the first day.
    this.dayStart = Number.isNaN(this.last) ? equity : this.last;
    if (this.state === 'reducing') {
      this.state = 'active';
      this.reason = `a new UTC day began (${isoDay(day)}), starting at equity ${money(this.dayStart)}`;
    }
  }

  private judge(equity: number): void {
    if (this.limitPct <= 0 || this.state !== 'active' || this.dayStart <= 0) return;
    const loss = ((this.dayStart - equity) / this.dayStart) * 100;
    if (loss < this.limitPct) return;
    this.state = 'reducing';
    this.reason =
      `equity ${money(equity)} is ${percent(loss)} below ${money(this.dayStart)} at the start of the UTC day ${isoDay(this.day)} ` +
      `(limit ${this.limitPct} %); entries resume at ${isoDay(this.day + 1)}`;
  }
}

function isoDay(day: number): string {
  return new Date(dayStartTime(day)).toISOString().slice(0, 10);
}
