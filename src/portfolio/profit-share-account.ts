/**
 * The running side of a profit-share schedule (profit-share.ts has the rule): the high-water mark, the fee
 * still owed, and when the current period ends.
 *
 * A fee is charged in full at its period end but paid from free cash only: with positions open the cash
 * may not cover it, and the books must never go below zero cash, nor sell for a fee. What cash does not
 * cover is owed and paid from the cash the next fills free (a sell's proceeds) and at the next period ends.
 * The equity the rule measures is net of what is owed, so an unpaid fee is never charged twice.
 *
 * A period is due from the candle whose close reaches its end: `dueAt` is that candle's open time, so the
 * per-candle check is one number compare (a backtest plays over a million candles a second).
 */
import { profitShareFee, type ProfitShareSchedule, type ProfitShareSlice } from './profit-share';
import { boundaryAfter } from './profit-share-periods';

/** What a state file keeps of the schedule: restored, the schedule goes on exactly. */
export interface ProfitShareState {
  highWaterMark: number;
  /** Fees charged that cash has not covered yet. */
  owed: number;
  /** Every fee charged so far, paid or owed. */
  charged: number;
  /** Market time the current period started: the run's start or the last period end. */
  periodStart: number;
  /** A "run" schedule settled at the run's end: nothing more to charge. */
  runSettled: boolean;
}

/** `portfolio.profitShared`: one period end, whether it charged anything or not. */
export interface ProfitShared {
  /** Market time of the settlement (the close of the candle that reached the period end). */
  time: number;
  periodStart: number;
  periodEnd: number;
  /** The equity the rule measured: the books' equity less any fee still owed from before. */
  equityBefore: number;
  /** The mark the gain was measured against. */
  highWaterMark: number;
  /** The mark after this period end (moved only by a fee). */
  newHighWaterMark: number;
  gain: number;
  fee: number;
  /** Of the fee and of what was owed before, what cash paid now; the rest is `owed`. */
  paid: number;
  owed: number;
  tiers: ProfitShareSlice[];
}

export class ProfitShareAccount {
  /** Open time of the first candle whose close ends the current period; +Infinity for "run". */
  dueAt = Number.POSITIVE_INFINITY;

  private constructor(
    readonly schedule: ProfitShareSchedule,
    private readonly stepMs: number,
    private readonly state: ProfitShareState,
  ) {
    this.dueAt = boundaryAfter(schedule.period, state.periodStart) - stepMs;
  }

  /** A new schedule: the mark at the start balance, the first period starting at `now`. */
  static open(schedule: ProfitShareSchedule, stepMs: number, startBalance: number, now: number): ProfitShareAccount {
    return new ProfitShareAccount(schedule, stepMs, { highWaterMark: startBalance, owed: 0, charged: 0, periodStart: now, runSettled: false });
  }

  static fromState(schedule: ProfitShareSchedule, stepMs: number, state: ProfitShareState): ProfitShareAccount {
    return new ProfitShareAccount(schedule, stepMs, { ...state });
  }

  toState(): ProfitShareState {
    return { ...this.state };
  }

  get owed(): number {
    return this.state.owed;
  }

  get charged(): number {
    return this.state.charged;
  }

  get highWaterMark(): number {
    return this.state.highWaterMark;
  }

  /** The close time of a candle opened at `openTime`, which ends its period when `openTime >= dueAt`. */
  closeOf(openTime: number): number {
    return openTime + this.stepMs;
  }

  /** "run": whether the run's end still has to be settled. */
  get awaitsRunEnd(): boolean {
    return this.schedule.period === 'run' && !this.state.runSettled;
  }

  /**
   * Charges the period ending at `periodEnd` on `equity` (the books'), and starts the next one. Returns the
   * settlement with nothing paid yet: the caller pays through `takePayment`.
   */
  settle(periodEnd: number, time: number, equity: number): Omit<ProfitShared, 'paid' | 'owed'> {
    const { state } = this;
    const equityBefore = equity - state.owed;
    const highWaterMark = state.highWaterMark;
    const { gain, fee, tiers } = profitShareFee(this.schedule, highWaterMark, equityBefore);
    if (fee > 0) {
      state.highWaterMark = equityBefore - fee;
      state.owed += fee;
      state.charged += fee;
    }
    const periodStart = state.periodStart;
    state.periodStart = periodEnd;
    if (this.schedule.period === 'run') state.runSettled = true;
    this.dueAt = boundaryAfter(this.schedule.period, periodEnd) - this.stepMs;
    return { time, periodStart, periodEnd, equityBefore, highWaterMark, newHighWaterMark: state.highWaterMark, gain, fee, tiers };
  }

  /** What of the owed fees `cash` pays now (never more than the cash); no longer owed once returned. */
  takePayment(cash: number): number {
    const paid = Math.min(this.state.owed, Math.max(cash, 0));
    if (paid > 0) this.state.owed -= paid;
    return paid;
  }

  /** Money that came or went for no trade (a reconciliation) moves the mark with it: it is not a gain. */
  shift(amount: number): void {
    this.state.highWaterMark += amount;
  }
}
