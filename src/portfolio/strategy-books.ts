import type { Fill } from '../execution/types';
import { Ledger, type LedgerState } from './ledger';
import { TradeTally } from './trade-tally';

/** `portfolio.allocations`: each strategy's share of the start balance, in percent. */
export type Allocations = Readonly<Record<string, number>>;

/** One strategy's sub-ledger as the risk engine and the status see it. */
export interface StrategyBookView {
  allocationPct: number;
  cash: number;
  equity: number;
  /** The symbols it holds a position in. */
  symbols: string[];
}

/** One strategy's figures for the run summary (`byStrategy`). */
export interface StrategySummary {
  allocationPct: number;
  startBalance: number;
  finalEquity: number;
  returnPct: number;
  realizedPnl: number;
  feesPaid: number;
  trades: number;
  winRatePct: number;
  /** Capital reallocations moved in (out when negative); returnPct leaves it out. */
  transferredIn: number;
}

export interface StrategyBooksState {
  ledgers: Record<string, LedgerState>;
  tallies: Record<string, { trades: number; winners: number }>;
  /** Capital reallocations moved in per strategy; absent when none was. */
  transferred?: Record<string, number>;
}

/**
 * Per-strategy sub-ledgers: each strategy of `portfolio.allocations` trades its own capital (its share of
 * the start balance), holds its own positions and earns its own PnL, beside the account's ledger, which stays
 * the truth for the account. Every fill goes to the strategy that owns its position: the one whose entry
 * opened it, whoever sells it (a stop-loss, the kill switch). The risk engine sizes a strategy's entries from
 * its sub-ledger, so no strategy spends another's cash. The part of the start balance no strategy was given
 * stays in the account, untouched by trading; account-level movements (profit-share fees, a live
 * reconciliation) are the account's, not a strategy's.
 */
export class StrategyBooks {
  private readonly ledgers = new Map<string, Ledger>();
  private readonly tallies = new Map<string, TradeTally>();
  private readonly transferred = new Map<string, number>();

  private constructor(
    readonly allocations: Allocations,
    private readonly startBalance: number,
  ) {}

  static open(quoteCurrency: string, startBalance: number, allocations: Allocations): StrategyBooks {
    const books = new StrategyBooks(allocations, startBalance);
    for (const [strategy, pct] of Object.entries(allocations)) {
      books.ledgers.set(strategy, new Ledger({ quoteCurrency, startBalance: (startBalance * pct) / 100 }));
      books.tallies.set(strategy, new TradeTally());
    }
    return books;
  }

  /** The sub-ledgers `state` holds; a strategy new to the allocations starts with its share in cash. */
  static fromState(quoteCurrency: string, startBalance: number, allocations: Allocations, state: StrategyBooksState | undefined): StrategyBooks {
    const books = StrategyBooks.open(quoteCurrency, startBalance, allocations);
    for (const [strategy, saved] of Object.entries(state?.ledgers ?? {})) {
      const pct = allocations[strategy];
      if (pct === undefined) continue;
      books.ledgers.set(strategy, Ledger.fromState({ quoteCurrency, startBalance: (startBalance * pct) / 100 }, saved));
      const tally = books.tallies.get(strategy)!;
      tally.trades = state?.tallies[strategy]?.trades ?? 0;
      tally.winners = state?.tallies[strategy]?.winners ?? 0;
    }
    for (const [strategy, amount] of Object.entries(state?.transferred ?? {})) if (allocations[strategy] !== undefined) books.transferred.set(strategy, amount);
    return books;
  }

  toState(): StrategyBooksState {
    const state: StrategyBooksState = { ledgers: {}, tallies: {} };
    for (const [strategy, ledger] of this.ledgers) {
      state.ledgers[strategy] = ledger.toState();
      const tally = this.tallies.get(strategy)!;
      state.tallies[strategy] = { trades: tally.trades, winners: tally.winners };
    }
    if (this.transferred.size > 0) state.transferred = Object.fromEntries(this.transferred);
    return state;
  }

  has(strategy: string): boolean {
    return this.ledgers.has(strategy);
  }

  /** Books a fill in its owner's sub-ledger; a fill no allocated strategy owns (an adopted coin) is the account's. */
  fill(fill: Fill, owner: string): void {
    const ledger = this.ledgers.get(owner);
    if (ledger === undefined) return;
    const closed = ledger.applyFill(fill);
    if (closed) this.tallies.get(owner)!.add(closed);
  }

  /** Moves capital between the sub-ledgers (reallocation.ts): the transfers sum to 0. */
  transfer(transfers: ReadonlyArray<{ strategy: string; amount: number }>): void {
    // The outs first: an in may be paid from them.
    const ordered = [...transfers].sort((a, b) => a.amount - b.amount);
    for (const { strategy, amount } of ordered) {
      const ledger = this.ledgers.get(strategy);
      if (ledger === undefined) throw new Error(`cannot move capital to ${strategy}: it has no sub-ledger`);
      ledger.moveCash(amount);
      this.transferred.set(strategy, (this.transferred.get(strategy) ?? 0) + amount);
    }
  }

  mark(symbol: string, price: number, owner: string): void {
    this.ledgers.get(owner)?.mark(symbol, price);
  }

  /** Cash of the start balance no strategy was given. */
  unallocated(): number {
    let given = 0;
    for (const pct of Object.values(this.allocations)) given += pct;
    return (this.startBalance * (100 - given)) / 100;
  }

  /** The sum of the sub-ledgers' equity. */
  equity(): number {
    let equity = 0;
    for (const ledger of this.ledgers.values()) equity += ledger.equity();
    return equity;
  }

  views(): Record<string, StrategyBookView> {
    const views: Record<string, StrategyBookView> = {};
    for (const [strategy, ledger] of this.ledgers) {
      const snapshot = ledger.snapshot(0);
      views[strategy] = { allocationPct: this.allocations[strategy]!, cash: snapshot.cash, equity: snapshot.equity, symbols: snapshot.positions.map((p) => p.symbol) };
    }
    return views;
  }

  summaries(): Record<string, StrategySummary> {
    const summaries: Record<string, StrategySummary> = {};
    for (const [strategy, ledger] of this.ledgers) {
      const allocationPct = this.allocations[strategy]!;
      const start = (this.startBalance * allocationPct) / 100;
      const tally = this.tallies.get(strategy)!;
      const finalEquity = ledger.equity();
      const transferredIn = this.transferred.get(strategy) ?? 0;
      summaries[strategy] = {
        allocationPct,
        startBalance: start,
        finalEquity,
        // Capital moved in is not a gain of the strategy's, nor capital moved out a loss.
        returnPct: start > 0 ? ((finalEquity - transferredIn - start) / start) * 100 : 0,
        realizedPnl: ledger.realizedPnl(),
        feesPaid: ledger.feesPaid(),
        trades: tally.trades,
        winRatePct: tally.trades > 0 ? (tally.winners / tally.trades) * 100 : 0,
        transferredIn,
      };
    }
    return summaries;
  }
}

/** What is wrong with `portfolio.allocations`, in one sentence; undefined when it is right. */
export function allocationsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strategy names to percents of the start balance, like {"sma-cross": 60, "rsi-mean-reversion": 40}';
  let total = 0;
  for (const [strategy, pct] of Object.entries(value as Record<string, unknown>)) {
    if (typeof pct !== 'number' || !Number.isFinite(pct) || pct <= 0 || pct > 100) return `must give ${strategy} a percent above 0 and at most 100`;
    total += pct;
  }
  if (total > 100 + 1e-9) return `gives ${total} % of the start balance in all, more than 100 %`;
  return undefined;
}

/** The allocations against the strategies the bot runs: each must have one, and only they. */
export function allocationsMismatch(allocations: Allocations, strategies: readonly string[]): string | undefined {
  if (Object.keys(allocations).length === 0) return undefined;
  const missing = strategies.find((s) => allocations[s] === undefined);
  if (missing !== undefined) return `analysis.strategies runs ${missing}, but portfolio.allocations gives it no capital: give every strategy run a share, or leave portfolio.allocations empty`;
  const extra = Object.keys(allocations).find((s) => !strategies.includes(s));
  if (extra !== undefined) return `portfolio.allocations gives ${extra} ${allocations[extra]} %, but analysis.strategies does not run it`;
  return undefined;
}
