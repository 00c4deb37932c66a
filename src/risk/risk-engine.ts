import type { OrderDenial } from '../execution/types';
import type { PortfolioSnapshot } from '../portfolio/types';
import { checkEntry, checkExit, type RiskLimits } from './risk-gate';
import { parseStake, stakeQuoteAmount, type Stake } from './sizing';

/**
 * What the engine lets through (after NautilusTrader's trading states): active takes every order, reducing
 * takes exits only, halted takes nothing. Protective exits the executor fires are not orders asked of the
 * engine: they run in every state.
 */
export type TradingState = 'active' | 'reducing' | 'halted';

export interface RiskSettings extends RiskLimits {
  /** `trade.stake`: all, a quote amount, or a percentage of equity. */
  stake: string;
}

/** The books and the orders in flight, as the engine weighs a new order against them. */
export interface BookView {
  /** The portfolio, its positions valued at the latest prices. */
  snapshot: PortfolioSnapshot;
  /** Symbols with a pending buy. */
  pendingEntries: readonly string[];
  /** Quote currency already promised to pending buys. */
  reservedQuote: number;
}

export interface EntryAsk {
  symbol: string;
  /** The entry's fraction of the usual stake, in (0, 1]; 1 when absent. */
  size?: number;
}

export interface ExitAsk {
  symbol: string;
  /** Sell this fraction of the position (a reduce); all of it when absent. */
  fraction?: number;
  /** An exit of the symbol is already pending. */
  exitPending: boolean;
}

export type EntryReview =
  | { ok: true; quoteAmount: number }
  /** `quoteAmount`: what the stake asked for, when it got as far as sizing. */
  | { ok: false; denial: OrderDenial; quoteAmount?: number };
export type ExitReview = { ok: true; qty: number } | { ok: false; denial: OrderDenial };

/**
 * Every refusal of an order the strategies ask for, in one place, and how much an order may be: the
 * trading state, stale market data, an exit already pending, then the stake and the limits of the risk gate
 * (risk-gate.ts). A refusal is a value with a reason code, never an exception: the trade side turns it into
 * `order.denied`, so "why did it not trade?" always has an answer.
 */
export class RiskEngine {
  private stake: Stake = { kind: 'all' };
  private limits: RiskLimits = { maxOpenPositions: 1, maxPositionPct: 100, minNotional: 0 };
  private state: TradingState = 'active';
  private stateReason = '';
  /** Symbols whose live data is stale: no entries there until it resumes. */
  private readonly stale = new Set<string>();

  constructor(settings: RiskSettings) {
    this.configure(settings);
  }

  /** Takes new settings (at start, and when a reload changes them). */
  configure(settings: RiskSettings): void {
    this.stake = parseStake(settings.stake);
    this.limits = { maxOpenPositions: settings.maxOpenPositions, maxPositionPct: settings.maxPositionPct, minNotional: settings.minNotional };
  }

  get tradingState(): TradingState {
    return this.state;
  }

  /** Moves to `state` for `reason` (one sentence, quoted in every refusal it causes); false when already there. */
  setTradingState(state: TradingState, reason: string): boolean {
    if (state === this.state) return false;
    this.state = state;
    this.stateReason = reason;
    return true;
  }

  marketStale(symbols: readonly string[]): void {
    for (const symbol of symbols) this.stale.add(symbol);
  }

  marketResumed(symbols: readonly string[]): void {
    for (const symbol of symbols) this.stale.delete(symbol);
  }

  reviewEntry(ask: EntryAsk, view: BookView): EntryReview {
    const { symbol } = ask;
    if (this.state !== 'active') {
      const code = this.state === 'halted' ? 'trading-halted' : 'trading-reducing';
      return { ok: false, denial: { code, message: `entry in ${symbol} refused: trading is ${this.state} (${this.stateReason})` } };
    }
    if (this.stale.has(symbol)) {
      return { ok: false, denial: { code: 'stale-data', message: `entry in ${symbol} refused: its market data is stale, so its last price may be old` } };
    }
    const { snapshot, reservedQuote } = view;
    // An entry may ask for part of the usual stake (its `size`), never more.
    const asked = stakeQuoteAmount(this.stake, { freeCash: snapshot.cash - reservedQuote, equity: snapshot.equity }) * (ask.size ?? 1);
    const verdict = checkEntry({ symbol, quoteAmount: asked }, view, this.limits);
    return verdict.ok ? { ok: true, quoteAmount: verdict.quoteAmount } : { ok: false, denial: verdict.denial, quoteAmount: asked };
  }

  reviewExit(ask: ExitAsk, snapshot: PortfolioSnapshot): ExitReview {
    const { symbol } = ask;
    if (this.state === 'halted') {
      return { ok: false, denial: { code: 'trading-halted', message: `exit of ${symbol} refused: trading is halted (${this.stateReason})` } };
    }
    if (ask.exitPending) return { ok: false, denial: { code: 'exit-pending', message: `exit of ${symbol} refused: an exit order is already pending` } };
    const verdict = checkExit(symbol, snapshot);
    if (!verdict.ok) return verdict;
    let held = 0;
    for (const p of snapshot.positions) if (p.symbol === symbol) held = p.qty;
    // A reduce sells its fraction of the position and keeps the rest (and the rest's protection).
    return { ok: true, qty: ask.fraction === undefined ? held : held * ask.fraction };
  }
}
