/** What the strategies decide, as it travels from the analysis side to the trade side. */

import type { EntryLevels } from '../execution/types';

export type SignalAction = 'enter' | 'exit' | 'reduce';

/**
 * A strategy's decision on a closed candle. An entry carries the strategy's exit levels in percent: the
 * entry's own, else the strategy's (see entry-levels.ts for the whole order of precedence).
 */
export interface Signal extends EntryLevels {
  symbol: string;
  /** reduce: sell `fraction` of the position. */
  action: SignalAction;
  /** 0..1: how sure the strategy is. */
  strength: number;
  reason: string;
  strategy: string;
  /** Open time of the candle it was decided on, and its close price. */
  candleTime: number;
  price: number;
  /** An entry's fraction of the usual stake, in (0, 1]. */
  size?: number;
  /** A reduce's fraction of the position, in (0, 1). */
  fraction?: number;
}

export type RejectionReason = 'warm-up' | 'aggregation' | 'cooldown' | 'risk';

/** A strategy's signal that was not sent on, and why. */
export interface SignalRejected {
  symbol: string;
  strategy: string;
  action: SignalAction;
  reason: RejectionReason;
  /** One sentence: which rule, with its numbers. */
  detail: string;
  candleTime: number;
}

export interface StrategyDisabled {
  strategy: string;
  error: string;
}
