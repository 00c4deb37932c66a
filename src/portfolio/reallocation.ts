import { durationMs, REBALANCE_DEFAULTS, type RebalanceSettings } from './rebalance-settings';
import type { Allocations, StrategyBookView } from './strategy-books';

/** Cash moved into (positive) or out of (negative) a strategy's sub-ledger. */
export interface Transfer {
  strategy: string;
  amount: number;
}

export type ReallocationReason = 'every' | 'threshold';

/** A reallocation done at a period's close: `portfolio.reallocated`. */
export interface Reallocated {
  /** Open time of the period it was decided on. */
  time: number;
  reason: ReallocationReason;
  /** The strategies' equity in all, which the shares are taken of. */
  strategiesEquity: number;
  transfers: Transfer[];
}

/**
 * With per-strategy sub-ledgers a rebalance moves the allocations: capital goes from the strategies that
 * grew past their share back to those below theirs. With E the sum of the sub-ledgers' equity and a_i the
 * allocations (summing to A), strategy i's target is E x a_i / A; the unallocated rest of the account is not
 * part of it and is never touched. A strategy above its target gives its excess, but only from its free
 * cash (its positions are its own, never sold for this); what the givers give is split among the strategies
 * below target in proportion to how far below they are. Nothing is traded, so there is no fee and no
 * minimum: the sum of the transfers is 0.
 */
export function planReallocation(books: Readonly<Record<string, StrategyBookView>>, allocations: Allocations): Transfer[] {
  const names = Object.keys(allocations).filter((name) => books[name] !== undefined);
  let equity = 0;
  let shares = 0;
  for (const name of names) {
    equity += books[name]!.equity;
    shares += allocations[name]!;
  }
  if (!(equity > 0) || !(shares > 0)) return [];
  let given = 0;
  let short = 0;
  const gives = new Map<string, number>();
  const needs = new Map<string, number>();
  for (const name of names) {
    const { equity: own, cash } = books[name]!;
    const excess = own - (equity * allocations[name]!) / shares;
    if (excess > 0) {
      const give = Math.min(excess, Math.max(0, cash));
      if (give > 0) gives.set(name, give);
      given += give;
    } else if (excess < 0) {
      needs.set(name, -excess);
      short += -excess;
    }
  }
  if (!(given > 0) || !(short > 0)) return [];
  const transfers: Transfer[] = [];
  for (const [strategy, give] of gives) transfers.push({ strategy, amount: -give });
  // The last receiver takes what is left, so the transfers sum to 0 to the last bit. A share is capped at
  // what is left: rounded up (tiny or subnormal amounts), the shares could hand out more than was given and
  // leave the last receiver a negative amount, taken from a ledger that has nothing to give.
  const receivers = [...needs];
  let handed = 0;
  receivers.forEach(([strategy, need], i) => {
    const amount = i === receivers.length - 1 ? given - handed : Math.min((given * need) / short, given - handed);
    handed += amount;
    transfers.push({ strategy, amount });
  });
  return transfers;
}

export interface ReallocationTriggerState {
  /** Open time of the period the last reallocation was decided on (or the first period); null before it. */
  lastAt: number | null;
}

/**
 * When the allocations are moved back, asked at each period's close: once `every` has passed since the last
 * time (market time, from the first period), or when a strategy's share of the strategies' equity is more
 * than `thresholdPct` points from its allocation's share of theirs.
 */
export class ReallocationTrigger {
  private readonly thresholdPct: number;
  private readonly everyMs: number;
  private lastAt = Number.NaN;

  constructor(
    settings: RebalanceSettings,
    private readonly allocations: Allocations,
  ) {
    this.thresholdPct = settings.thresholdPct ?? REBALANCE_DEFAULTS.thresholdPct;
    this.everyMs = settings.every ? durationMs(settings.every)! : Number.POSITIVE_INFINITY;
  }

  onPeriod(time: number, books: Readonly<Record<string, StrategyBookView>>): ReallocationReason | undefined {
    if (Number.isNaN(this.lastAt)) {
      // The sub-ledgers start at their allocations: "every" counts from here.
      this.lastAt = time;
      return undefined;
    }
    const reason = this.reason(time, books);
    if (reason !== undefined) this.lastAt = time;
    return reason;
  }

  toState(): ReallocationTriggerState {
    return { lastAt: Number.isNaN(this.lastAt) ? null : this.lastAt };
  }

  restore(state: ReallocationTriggerState): void {
    this.lastAt = state.lastAt ?? Number.NaN;
  }

  private reason(time: number, books: Readonly<Record<string, StrategyBookView>>): ReallocationReason | undefined {
    if (time - this.lastAt >= this.everyMs) return 'every';
    let equity = 0;
    let shares = 0;
    for (const [name, pct] of Object.entries(this.allocations)) {
      equity += books[name]?.equity ?? 0;
      shares += pct;
    }
    if (!(equity > 0)) return undefined;
    for (const [name, pct] of Object.entries(this.allocations)) {
      const weight = ((books[name]?.equity ?? 0) / equity) * 100;
      if (Math.abs(weight - (pct / shares) * 100) > this.thresholdPct) return 'threshold';
    }
    return undefined;
  }
}
