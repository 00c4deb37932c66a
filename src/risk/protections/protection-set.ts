import type { ClosedTrade } from '../../portfolio/types';
import { stricter, type TradingState } from '../trading-state';
import { DailyLoss, type DailyLossState } from './daily-loss';
import { KillSwitch } from './kill-switch';
import { ManualHold } from './manual-hold';
import { MaxDrawdown, type MaxDrawdownState } from './max-drawdown';
import type { Protection, ProtectionName } from './protection';
import { StoplossGuard, type StoplossGuardSettings, type StoplossGuardState } from './stoploss-guard';
import { SymbolCooldown, type SymbolCooldownState } from './symbol-cooldown';

export interface ProtectionSettings {
  maxDrawdownPct: number;
  dailyLossPct: number;
  stoplossGuard: StoplossGuardSettings;
  cooldownAfterLossMin: number;
}

/** A change of the trading state, as `risk.state` carries it. */
export interface RiskStateChange {
  state: TradingState;
  previous: TradingState;
  /** The protection that holds trading back now, or (back to active) the one that let go last. */
  protection: ProtectionName;
  /** One sentence with its figures. */
  reason: string;
  /** The market time of the input that changed it. */
  time: number;
}

/** The protections' own state as plain data, for the state file. */
export interface ProtectionsState {
  maxDrawdown: MaxDrawdownState;
  dailyLoss: DailyLossState;
  stoplossGuard: StoplossGuardState;
  cooldowns: SymbolCooldownState;
  /** An operator's pause of entries, kept across restarts: why it was paused. Safe mode is not kept: it is the process's. */
  operatorPause?: string;
}

/**
 * The protections together: feeds each its inputs and combines their verdicts into one trading state, the
 * strictest winning. Every input answers the change it caused, or undefined; the state is judged again only
 * after an input, and the clock matters only at the earliest time a pause can end.
 */
export class ProtectionSet {
  readonly maxDrawdown: MaxDrawdown;
  readonly dailyLoss: DailyLoss;
  readonly stoplossGuard: StoplossGuard;
  readonly cooldown: SymbolCooldown;
  readonly killSwitch = new KillSwitch();
  /** An operator's pause of entries (the API's pause-entries): reducing, so exits still go. */
  readonly operator = new ManualHold('operator', 'reducing');
  /** The supervisor gave up on an agent: halted. */
  readonly safeMode = new ManualHold('safe-mode', 'halted');
  private readonly all: readonly Protection[];
  private current: TradingState = 'active';
  private winner: Protection | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private equityWatched = false;

  constructor(settings: ProtectionSettings) {
    this.maxDrawdown = new MaxDrawdown(settings.maxDrawdownPct);
    this.dailyLoss = new DailyLoss(settings.dailyLossPct);
    this.stoplossGuard = new StoplossGuard(settings.stoplossGuard);
    this.cooldown = new SymbolCooldown(settings.cooldownAfterLossMin);
    // The order breaks ties: of two halts, the first named is the one reported.
    this.all = [this.safeMode, this.killSwitch, this.maxDrawdown, this.dailyLoss, this.stoplossGuard, this.operator];
    this.equityWatched = settings.maxDrawdownPct > 0 || settings.dailyLossPct > 0;
  }

  get state(): TradingState {
    return this.current;
  }

  /** The sentence refusals quote: why trading is held back. */
  get reason(): string {
    return this.winner?.reason ?? '';
  }

  configure(settings: ProtectionSettings, time: number): RiskStateChange | undefined {
    this.maxDrawdown.setLimit(settings.maxDrawdownPct);
    this.dailyLoss.setLimit(settings.dailyLossPct);
    this.stoplossGuard.configure(settings.stoplossGuard);
    this.cooldown.setMinutes(settings.cooldownAfterLossMin);
    this.equityWatched = settings.maxDrawdownPct > 0 || settings.dailyLossPct > 0;
    return this.settle(time);
  }

  /** An equity mark at market time `time`. */
  equity(equity: number, time: number): RiskStateChange | undefined {
    // Both keep their figures while off (the peak, the day's start), so a reload that turns one on has them.
    this.maxDrawdown.mark(equity);
    this.dailyLoss.mark(equity, time);
    return this.equityWatched || this.current !== 'active' ? this.settle(time) : undefined;
  }

  closed(trade: ClosedTrade): RiskStateChange | undefined {
    this.cooldown.closed(trade.symbol, trade.pnl, trade.exitTime);
    this.stoplossGuard.closed(trade.exitReason, trade.exitTime);
    return this.settle(trade.exitTime);
  }

  /** The clock, once a period: pauses and the day's limit end by time. */
  tick(time: number): RiskStateChange | undefined {
    if (time < this.wakeAt) return undefined;
    this.dailyLoss.tick(time);
    this.stoplossGuard.tick(time);
    return this.settle(time);
  }

  setKillSwitch(on: boolean, where: string, time: number): RiskStateChange | undefined {
    this.killSwitch.set(on, where);
    return this.settle(time);
  }

  /** A hand-set hold (the operator's pause, safe mode) on or off, `why` being the sentence it gives. */
  setHold(hold: ManualHold, on: boolean, why: string, time: number): RiskStateChange | undefined {
    hold.set(on, why);
    return this.settle(time);
  }

  snapshot(): ProtectionsState {
    return {
      maxDrawdown: this.maxDrawdown.snapshot(),
      dailyLoss: this.dailyLoss.snapshot(),
      stoplossGuard: this.stoplossGuard.snapshot(),
      cooldowns: this.cooldown.snapshot(),
      ...(this.operator.on ? { operatorPause: this.operator.reason } : {}),
    };
  }

  /** Goes on from a snapshot; answers the state it restored when it is not active. */
  restore(saved: ProtectionsState, time: number): RiskStateChange | undefined {
    this.maxDrawdown.restore(saved.maxDrawdown);
    this.dailyLoss.restore(saved.dailyLoss);
    this.stoplossGuard.restore(saved.stoplossGuard);
    this.cooldown.restore(saved.cooldowns);
    if (saved.operatorPause !== undefined) this.operator.set(true, saved.operatorPause);
    return this.settle(time);
  }

  private settle(time: number): RiskStateChange | undefined {
    let winner: Protection | undefined;
    for (const p of this.all) if (p.state !== 'active' && (winner === undefined || stricter(p.state, winner.state))) winner = p;
    this.wakeAt = Math.min(this.dailyLoss.wakeAt, this.stoplossGuard.wakeAt);
    const previous = this.current;
    const letGo = this.winner;
    this.winner = winner;
    this.current = winner?.state ?? 'active';
    if (this.current === previous) return undefined;
    // Back to active, the one that let go last says why; else the one now holding trading back.
    const cause = winner ?? letGo!;
    return { state: this.current, previous, protection: cause.name, reason: cause.reason, time };
  }
}
