import type { TradingState } from '../trading-state';

export type ProtectionName = 'max-drawdown' | 'daily-loss' | 'stoploss-guard' | 'kill-switch' | 'operator' | 'safe-mode';

/**
 * A protection that can hold the whole of trading back. Its state and reason are plain fields, read after
 * each input, so feeding one allocates nothing unless its state changes.
 */
export interface Protection {
  readonly name: ProtectionName;
  /** What it lets through now; 'active' when it holds nothing back. */
  readonly state: TradingState;
  /** One sentence with the figures: why it holds trading back, or, once active again, why it let go. */
  readonly reason: string;
}

const DAY_MS = 86_400_000;

/** The UTC calendar day of a market time, as a day number since the epoch. */
export function utcDay(time: number): number {
  return Math.floor(time / DAY_MS);
}

export function dayStartTime(day: number): number {
  return day * DAY_MS;
}
